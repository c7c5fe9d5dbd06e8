/**
 * OS-EC2 credentials: `/v3/users/{user_id}/credentials/OS-EC2`. They are stored as
 * credentials of type ec2 (id = SHA-256 of the access key) and shown the EC2 way:
 * access, secret, tenant_id, user_id, trust_id.
 */
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { KosError } from '../../../core/errors.js';
import { contextOf } from '../../common/auth.js';
import { anyOf, isAdmin, isSelf, withRole } from '../../common/policy.js';
import { adminOrSystemReaderOrOwner } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';
import { EC2, ec2CredentialId } from '../delegation/credentials.js';
import { requireDelegatedProject, requireUnrestricted } from '../delegation/guards.js';
import type { Credential } from '../model.js';
import { collectionLinks, selfLink } from '../wire.js';

const R = {
  list: 'identity:ec2_list_credentials',
  get: 'identity:ec2_get_credential',
  create: 'identity:ec2_create_credential',
  delete: 'identity:ec2_delete_credential',
} as const;

const adminOrMemberOwner = anyOf(isAdmin, withRole('member', isSelf));

type Params = { user_id: string; access?: string };
const paramsOf = (req: FastifyRequest): Params => req.params as Params;

function ec2View(req: FastifyRequest, c: Credential) {
  let blob: Record<string, unknown> = {};
  try {
    blob = JSON.parse(c.blob) as Record<string, unknown>;
  } catch {
    // A blob that is not JSON has no access key to show.
  }
  const access = typeof blob.access === 'string' ? blob.access : null;
  return {
    user_id: c.user_id,
    tenant_id: c.project_id,
    access,
    secret: blob.secret ?? null,
    trust_id: blob.trust_id ?? null,
    links: selfLink(req, `users/${c.user_id}/credentials/OS-EC2/${access ?? ''}`),
  };
}

export const routes: IdentityRouteModule = {
  rules: {
    [R.list]: adminOrSystemReaderOrOwner,
    [R.get]: adminOrSystemReaderOrOwner,
    [R.create]: adminOrMemberOwner,
    [R.delete]: adminOrMemberOwner,
  },
  register(app, deps) {
    const { repo } = deps;
    const opts = { preHandler: deps.authenticated };
    const base = '/v3/users/:user_id/credentials/OS-EC2';

    /** The ec2 credential of an access key; the policy target is its owner. */
    const lookup = (req: FastifyRequest, rule: string): Credential => {
      const { auth } = contextOf(req);
      const { user_id, access = '' } = paramsOf(req);
      const cred = repo.c.credentials.require(ec2CredentialId(access));
      deps.policy.enforce(rule, auth, { user_id: cred.user_id });
      repo.c.users.require(user_id);
      if (cred.type !== EC2) throw new KosError('Unauthorized', 'EC2 access key not found.');
      requireDelegatedProject(auth, cred.project_id, 'EC2 credential');
      return cred;
    };

    app.get(base, opts, async (req) => {
      const { auth } = contextOf(req);
      const { user_id } = paramsOf(req);
      deps.policy.enforce(R.list, auth, { user_id });
      repo.c.users.require(user_id);
      const creds = repo.c.credentials.list((c) => c.user_id === user_id && c.type === EC2);
      const visible = creds.filter((c) => {
        try {
          requireDelegatedProject(auth, c.project_id, 'EC2 credential');
          return true;
        } catch {
          return false;
        }
      });
      return { credentials: visible.map((c) => ec2View(req, c)), links: collectionLinks(req) };
    });

    app.post(base, opts, async (req, reply) => {
      const { auth } = contextOf(req);
      const { user_id } = paramsOf(req);
      deps.policy.enforce(R.create, auth, { user_id });
      requireUnrestricted(repo, auth, 'credentials');
      repo.c.users.require(user_id);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const tenantId = typeof body.tenant_id === 'string' ? body.tenant_id : undefined;
      if (!tenantId) throw new KosError('BadRequest', "Invalid input for field 'tenant_id': 'tenant_id' is a required property.");
      repo.c.projects.require(tenantId);
      requireDelegatedProject(auth, tenantId, 'EC2 credential');
      const blob = {
        access: randomUUID().replaceAll('-', ''),
        secret: randomUUID().replaceAll('-', ''),
        trust_id: auth.trustId ?? null,
      };
      const cred = await repo.writes.run(() =>
        repo.c.credentials.create({
          id: ec2CredentialId(blob.access),
          user_id,
          project_id: tenantId,
          type: EC2,
          blob: JSON.stringify(blob),
          extra: {},
        }),
      );
      return reply.code(201).send({ credential: ec2View(req, cred) });
    });

    app.get(`${base}/:access`, opts, async (req) => ({ credential: ec2View(req, lookup(req, R.get)) }));

    app.delete(`${base}/:access`, opts, async (req, reply) => {
      const cred = lookup(req, R.delete);
      await repo.writes.run(() => repo.c.credentials.delete(cred.id));
      return reply.code(204).send();
    });
  },
};
