/**
 * The access review kinds of authorization.k8s.io/v1, create-only and never stored:
 * SelfSubjectAccessReview (`kubectl auth can-i`: may I?), SubjectAccessReview (may this
 * user?) and LocalSubjectAccessReview (may this user, in this namespace?).
 */
import { invalid, type FieldError } from '../field-errors.js';
import { isObject } from '../object.js';
import {
  answerAccessReview,
  authorizationGroup,
  requireUser,
  specOf,
  throwIfInvalid,
  userFromSpec,
  validateAttributesChoice,
} from '../rbac/access-review.js';
import { defineResource } from '../resource.js';

const reviewKind = { group: authorizationGroup, version: 'v1', verbs: ['create'] as const };

export const selfsubjectaccessreviews = defineResource({
  ...reviewKind,
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  compute(review, ctx) {
    throwIfInvalid('SelfSubjectAccessReview', validateAttributesChoice(specOf(review)));
    return answerAccessReview(review, requireUser(ctx.user), ctx.auth);
  },
});

export const subjectaccessreviews = defineResource({
  ...reviewKind,
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  singular: 'subjectaccessreview',
  namespaced: false,
  compute(review, ctx) {
    const spec = specOf(review);
    const errs = validateAttributesChoice(spec);
    const user = userFromSpec(spec);
    if (!user.name && user.groups.length === 0) errs.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
    throwIfInvalid('SubjectAccessReview', errs);
    return answerAccessReview(review, user, ctx.auth);
  },
});

export const localsubjectaccessreviews = defineResource({
  ...reviewKind,
  kind: 'LocalSubjectAccessReview',
  plural: 'localsubjectaccessreviews',
  singular: 'localsubjectaccessreview',
  namespaced: true,
  compute(review, ctx) {
    const spec = specOf(review);
    const namespace = ctx.namespace ?? '';
    const errs: FieldError[] = [];
    if (isObject(spec.nonResourceAttributes)) errs.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
    else if (!isObject(spec.resourceAttributes)) errs.push(invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
    else if ((spec.resourceAttributes.namespace ?? '') !== namespace) errs.push(invalid('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
    const user = userFromSpec(spec);
    if (!user.name && user.groups.length === 0) errs.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
    throwIfInvalid('LocalSubjectAccessReview', errs);
    return answerAccessReview({ ...review, metadata: { ...review.metadata, namespace } }, user, ctx.auth);
  },
});
