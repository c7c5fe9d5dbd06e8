/** SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules that apply to the caller in a namespace. */
import { answerRulesReview, authorizationGroup, requireUser } from '../rbac/access-review.js';
import { defineResource } from '../resource.js';

export const selfsubjectrulesreviews = defineResource({
  group: authorizationGroup,
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  namespaced: false,
  verbs: ['create'],
  compute: (review, ctx) => Promise.resolve(answerRulesReview(review, requireUser(ctx.user), ctx.auth)),
});
