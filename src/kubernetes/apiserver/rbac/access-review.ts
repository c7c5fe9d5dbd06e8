/**
 * The authorization.k8s.io review kinds, computed: read the attributes a review spells
 * out, ask the cluster's authorizer (or rule resolver), and answer with the object and
 * its status. Validation follows the real server's wording.
 */
import type { ClusterAuth } from '../auth.js';
import type { UserInfo } from '../authn/user.js';
import { invalid, invalidError, type FieldError } from '../field-errors.js';
import { isObject, type JsonObject, type KubeObject } from '../object.js';
import { badRequest } from '../status.js';
import type { Attributes } from './attributes.js';
import type { PolicyRule } from './policy.js';

export const authorizationGroup = 'authorization.k8s.io';

const str = (o: JsonObject, k: string): string => (typeof o[k] === 'string' ? o[k] : '');

export interface ReviewSpec {
  resourceAttributes?: JsonObject;
  nonResourceAttributes?: JsonObject;
}

export function specOf(review: KubeObject): JsonObject {
  return isObject(review.spec) ? review.spec : {};
}

/** Exactly one of resourceAttributes and nonResourceAttributes. */
export function validateAttributesChoice(spec: JsonObject): FieldError[] {
  const hasResource = isObject(spec.resourceAttributes);
  const hasNonResource = isObject(spec.nonResourceAttributes);
  if (hasResource && hasNonResource) return [invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  if (!hasResource && !hasNonResource) return [invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  return [];
}

export function attributesFromSpec(user: UserInfo, spec: JsonObject): Attributes {
  if (isObject(spec.nonResourceAttributes)) {
    const a = spec.nonResourceAttributes;
    return { kind: 'nonResource', user, verb: str(a, 'verb'), path: str(a, 'path') };
  }
  const a = isObject(spec.resourceAttributes) ? spec.resourceAttributes : {};
  return {
    kind: 'resource',
    user,
    verb: str(a, 'verb'),
    apiGroup: str(a, 'group'),
    apiVersion: str(a, 'version'),
    resource: str(a, 'resource'),
    subresource: str(a, 'subresource'),
    namespace: str(a, 'namespace'),
    name: str(a, 'name'),
  };
}

export function throwIfInvalid(kind: string, errs: FieldError[]): void {
  if (errs.length > 0) throw invalidError(authorizationGroup, kind, '', errs);
}

/** The review as sent, with the authorizer's verdict as its status. */
export async function answerAccessReview(review: KubeObject, user: UserInfo, auth: ClusterAuth): Promise<KubeObject> {
  const spec = specOf(review);
  const decision = await auth.authorize(attributesFromSpec(user, spec));
  const status: JsonObject = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  if (decision.evaluationError) status.evaluationError = decision.evaluationError;
  return { ...review, metadata: review.metadata, spec, status };
}

/** The reviewing user a SubjectAccessReview names (no groups are added: it asks about exactly them). */
export function userFromSpec(spec: JsonObject): UserInfo {
  const groups = Array.isArray(spec.groups) ? spec.groups.filter((g): g is string => typeof g === 'string') : [];
  const extra: Record<string, string[]> = {};
  if (isObject(spec.extra)) {
    for (const [k, v] of Object.entries(spec.extra)) if (Array.isArray(v)) extra[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return { name: str(spec, 'user'), groups, ...(str(spec, 'uid') ? { uid: str(spec, 'uid') } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}

export function requireUser(user: UserInfo | undefined): UserInfo {
  if (!user) throw badRequest('no user on request');
  return user;
}

const resourceRule = (r: PolicyRule): JsonObject => ({
  verbs: r.verbs,
  ...(r.apiGroups?.length ? { apiGroups: r.apiGroups } : {}),
  ...(r.resources?.length ? { resources: r.resources } : {}),
  ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
});

const nonResourceRule = (r: PolicyRule): JsonObject => ({ verbs: r.verbs, ...(r.nonResourceURLs?.length ? { nonResourceURLs: r.nonResourceURLs } : {}) });

/** SelfSubjectRulesReview's status: every rule that applies to the user in the namespace. */
export function answerRulesReview(review: KubeObject, user: UserInfo, auth: ClusterAuth): KubeObject {
  const spec = specOf(review);
  const namespace = str(spec, 'namespace');
  if (!namespace) throw badRequest('no namespace on request');
  const rules = auth.rulesFor(user, namespace);
  const status: JsonObject = {
    resourceRules: rules.resourceRules.map(resourceRule),
    nonResourceRules: rules.nonResourceRules.map(nonResourceRule),
    incomplete: rules.incomplete,
  };
  if (rules.evaluationError) status.evaluationError = rules.evaluationError;
  return { ...review, metadata: review.metadata, spec, status };
}
