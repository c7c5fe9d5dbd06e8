/**
 * Credentials (/v3/credentials): opaque blobs a user keeps in Keystone. An `ec2`
 * credential's blob is JSON with an `access` key and its id is the SHA-256 of that key,
 * so the EC2 API can find it by access key alone.
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import { selfLinked, type CrudResource, type Json } from '../crud.js';
import { check, expectingError } from '../catalog/validate.js';
import { Nullable, extraOf } from '../resources/body.js';
import type { Credential } from '../model.js';
import { requireDelegatedProject, requireUnrestricted } from './guards.js';

export const EC2 = 'ec2';

/** Keystone's credential id for an EC2 access key. */
export const ec2CredentialId = (access: string): string => createHash('sha256').update(access, 'utf8').digest('hex');

const CredentialBody = Type.Object(
  {
    blob: Type.Optional(Type.String()),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    project_id: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  },
  { additionalProperties: true },
);
const CredentialCreate = Type.Composite(
  [CredentialBody, Type.Object({ blob: Type.String(), type: Type.String({ minLength: 1, maxLength: 255 }), user_id: Type.String({ minLength: 1 }) })],
  { additionalProperties: true },
);

const known = ['id', 'blob', 'type', 'user_id', 'project_id'] as const;

/** The parsed blob of an ec2 credential; it must be a JSON object with `access`. */
export function ec2Blob(blob: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(blob);
  } catch {
    throw new KosError('BadRequest', 'Invalid blob in credential');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    throw expectingError('blob', 'credential');
  }
  const obj = parsed as Record<string, unknown>;
  if (obj.access === undefined || obj.access === null) throw expectingError('access', 'credential');
  return obj;
}

export const credentialView = (c: Credential): Json => ({
  ...c.extra,
  id: c.id,
  user_id: c.user_id,
  project_id: c.project_id,
  type: c.type,
  blob: c.blob,
});

const isEc2 = (type: string | undefined): boolean => type?.toLowerCase() === EC2;

export const credentials = (rules: CrudResource<Credential>['rules']): CrudResource<Credential> => ({
  member: 'credential',
  plural: 'credentials',
  rules,
  collection: (deps) => deps.repo.c.credentials,
  view: selfLinked('credentials', credentialView),
  target: (c) => ({ user_id: c.user_id }),
  createTarget: (input) => ({ user_id: typeof input.user_id === 'string' ? input.user_id : null }),
  listPerObject: true,
  guard: (c, { auth }) => requireDelegatedProject(auth, c.project_id, 'Credential'),
  create(input, { deps, auth }) {
    const body = check(input, CredentialCreate, 'credential');
    const projectId = body.project_id ?? null;
    requireDelegatedProject(auth, projectId, 'Credential');
    let id = hexId();
    let blob = body.blob;
    if (isEc2(body.type)) {
      requireUnrestricted(deps.repo, auth, 'credentials');
      const parsed = ec2Blob(body.blob);
      id = ec2CredentialId(String(parsed.access));
      // Credentials minted under delegation authenticate back into the same delegation.
      if (auth.trustId) blob = JSON.stringify({ ...parsed, trust_id: auth.trustId });
      if (auth.applicationCredentialId) blob = JSON.stringify({ ...parsed, app_cred_id: auth.applicationCredentialId });
    }
    return deps.repo.c.credentials.create({
      id,
      user_id: body.user_id,
      project_id: projectId,
      type: body.type,
      blob,
      extra: extraOf(input, known),
    });
  },
  update(current, patch) {
    const body = check(patch, CredentialBody, 'credential');
    const next: Credential = {
      ...current,
      blob: body.blob ?? current.blob,
      type: body.type ?? current.type,
      user_id: body.user_id ?? current.user_id,
      project_id: body.project_id === undefined ? current.project_id : body.project_id,
      extra: { ...current.extra, ...extraOf(patch, known) },
    };
    if (isEc2(next.type) && body.blob !== undefined) {
      const before = isEc2(current.type) ? safeParse(current.blob) : {};
      const after = ec2Blob(next.blob);
      // The delegation an ec2 credential was minted under is part of what it is.
      for (const key of ['trust_id', 'app_cred_id', 'access_token_id', 'access_id']) {
        if (before[key] !== after[key]) {
          throw new KosError('BadRequest', `${key} can not be updated for credential`);
        }
      }
    }
    return next;
  },
  filters: {
    user_id: (c, v) => c.user_id === v,
    type: (c, v) => c.type === v,
  },
});

function safeParse(blob: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(blob);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
