/**
 * TokenRequest (POST serviceaccounts/<name>/token, `kubectl create token`): check the
 * request as the real server does — audiences default to the API server's own, an hour
 * by default and never under ten minutes, an optional binding to a Pod or Secret that
 * must exist (and belong to the service account) — then answer with a signed token.
 * Nothing is stored.
 */
import { invalidError, invalid, notSupported, type FieldError } from '../field-errors.js';
import { asKubeObject, isObject, type KubeObject } from '../object.js';
import { badRequest, conflict, notFound } from '../status.js';
import { rfc3339 } from '../time.js';
import type { BoundObject, BoundObjectReader, ServiceAccountTokens } from './service-account-token.js';

export const tokenRequestApiVersion = 'authentication.k8s.io/v1';
export const defaultTokenExpirationSeconds = 3600;
const minExpirationSeconds = 600;
const maxExpirationSeconds = 2 ** 32;

export interface TokenRequestContext {
  tokens: ServiceAccountTokens;
  reader: BoundObjectReader;
  /** Audiences a token gets when the request names none. */
  apiAudiences: readonly string[];
}

function checkSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const aud = spec.audiences;
  if (!Array.isArray(aud) || aud.some((a) => typeof a !== 'string')) errs.push(invalid('spec.audiences', aud, 'must be a list of strings'));
  const exp = spec.expirationSeconds;
  if (typeof exp !== 'number' || !Number.isInteger(exp)) errs.push(invalid('spec.expirationSeconds', exp, 'must be an integer'));
  else if (exp < minExpirationSeconds) errs.push(invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'));
  else if (exp > maxExpirationSeconds) errs.push(invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}

async function resolveBound(ref: Record<string, unknown>, serviceAccount: KubeObject, reader: BoundObjectReader): Promise<BoundObject> {
  const kind = ref.kind;
  const name = typeof ref.name === 'string' ? ref.name : '';
  const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : 'v1';
  const namespace = serviceAccount.metadata.namespace ?? '';
  if ((kind !== 'Pod' && kind !== 'Secret') || apiVersion !== 'v1') {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    throw badRequest(`cannot bind token to object of type ${group ? `${group}/` : ''}${apiVersion.split('/').pop() ?? ''}, Kind=${String(kind ?? '')}`);
  }
  const plural = kind === 'Pod' ? 'pods' : 'secrets';
  const obj = name ? await reader.get(kind, namespace, name) : undefined;
  if (!obj) throw notFound({ group: '', resource: plural }, name);
  if (kind === 'Pod') {
    const podSa = isObject(obj.spec) && typeof obj.spec.serviceAccountName === 'string' ? obj.spec.serviceAccountName : '';
    if (podSa !== serviceAccount.metadata.name) {
      throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(serviceAccount.metadata.name)} to pod ${JSON.stringify(name)}: the pod runs as serviceaccount ${JSON.stringify(podSa)}`);
    }
  }
  const uid = obj.metadata.uid ?? '';
  if (typeof ref.uid === 'string' && ref.uid && ref.uid !== uid) {
    throw conflict(
      { group: '', resource: kind },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { kind, name, uid };
}

/** The TokenRequest answered: spec defaulted, status carrying the token and its expiry. */
export async function answerTokenRequest(serviceAccount: KubeObject, body: unknown, ctx: TokenRequestContext): Promise<KubeObject> {
  const request = asKubeObject(body ?? {}, tokenRequestApiVersion, 'TokenRequest');
  const spec = isObject(request.spec) ? { ...request.spec } : {};
  if (spec.audiences === undefined || spec.audiences === null || (Array.isArray(spec.audiences) && spec.audiences.length === 0)) spec.audiences = [...ctx.apiAudiences];
  if (spec.expirationSeconds === undefined || spec.expirationSeconds === null) spec.expirationSeconds = defaultTokenExpirationSeconds;
  const errs = checkSpec(spec);
  if (spec.boundObjectRef !== undefined && spec.boundObjectRef !== null && !isObject(spec.boundObjectRef)) {
    errs.push(notSupported('spec.boundObjectRef', spec.boundObjectRef, ['Pod', 'Secret']));
  }
  const name = serviceAccount.metadata.name ?? '';
  if (errs.length > 0) throw invalidError('authentication.k8s.io', 'TokenRequest', name, errs);
  const bound = isObject(spec.boundObjectRef) ? await resolveBound(spec.boundObjectRef, serviceAccount, ctx.reader) : undefined;
  const { token, expiresAt } = ctx.tokens.issue(serviceAccount, {
    audiences: spec.audiences as string[],
    expirationSeconds: spec.expirationSeconds as number,
    ...(bound ? { boundObject: bound } : {}),
  });
  return {
    apiVersion: tokenRequestApiVersion,
    kind: 'TokenRequest',
    metadata: { name, namespace: serviceAccount.metadata.namespace },
    spec: { ...spec, boundObjectRef: bound ? spec.boundObjectRef : null },
    status: { token, expirationTimestamp: rfc3339(expiresAt) },
  };
}
