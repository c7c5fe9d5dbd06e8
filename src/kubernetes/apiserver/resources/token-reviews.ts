/**
 * TokenReview (authentication.k8s.io/v1): is this bearer token valid, and whose is it?
 * Asked by webhooks and proxies delegating authentication; create-only, never stored.
 */
import { isObject, type JsonObject } from '../object.js';
import { defineResource } from '../resource.js';
import { badRequest } from '../status.js';
import { userInfoJson } from '../authn/user.js';

export const tokenreviews = defineResource({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  singular: 'tokenreview',
  namespaced: false,
  verbs: ['create'],
  async compute(review, ctx) {
    const spec: JsonObject = isObject(review.spec) ? review.spec : {};
    const token = typeof spec.token === 'string' ? spec.token : '';
    if (!token) throw badRequest('token is required for TokenReview in authentication');
    const audiences = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
    const result = await ctx.auth.reviewToken(token, audiences);
    const status: JsonObject = result.authenticated
      ? { authenticated: true, user: userInfoJson(result.user), audiences: result.audiences }
      : { user: {}, error: result.error };
    return { ...review, metadata: review.metadata, spec, status };
  },
});
