/** SelfSubjectReview (`kubectl auth whoami`): the caller's user as the server sees it. */
import { userInfoJson } from '../authn/user.js';
import { requireUser } from '../rbac/access-review.js';
import { defineResource } from '../resource.js';

export const selfsubjectreviews = defineResource({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  verbs: ['create'],
  compute: (review, ctx) =>
    Promise.resolve({ ...review, metadata: review.metadata, status: { userInfo: userInfoJson(requireUser(ctx.user)) } }),
});
