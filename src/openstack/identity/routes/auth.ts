/**
 * /v3/auth: issuing tokens (POST), validating them (GET, HEAD), revoking them (DELETE),
 * and what a token may be scoped to (catalog, projects, domains, system).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { always, anyOf, isAdmin, isSelf, withRole, type Rule } from '../../common/policy.js';
import { contextOf } from '../../common/auth.js';
import type { IdentityDeps, IdentityRouteModule } from '../deps.js';
import { domainIdsForUser, projectIdsForUser } from '../assignments.js';
import type { Domain, Project } from '../model.js';
import { authenticate, consumeTrustUse } from '../token/authenticate.js';
import { tokenProviderOf } from '../token/provider-of.js';
import { TokenRejected } from '../token/resolve.js';
import { domainView, projectView } from '../resources/views.js';
import { AUTH_REQUIRED } from '../../common/auth.js';
import { queryFlag, queryOf, selfLink } from '../wire.js';

const serviceOrAdmin: Rule = anyOf(isAdmin, withRole('service', always));
/** Keystone's service_admin_or_token_subject: the target's user_id is the subject token's user. */
const serviceAdminOrTokenSubject: Rule = anyOf(serviceOrAdmin, isSelf);

const rules: Record<string, Rule> = {
  'identity:validate_token': serviceAdminOrTokenSubject,
  'identity:check_token': serviceAdminOrTokenSubject,
  'identity:revoke_token': serviceAdminOrTokenSubject,
  'identity:get_auth_catalog': always,
  'identity:get_auth_projects': always,
  'identity:get_auth_domains': always,
  'identity:get_auth_system': always,
};

function subjectTokenOf(req: FastifyRequest): string {
  const header = req.headers['x-subject-token'];
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) throw new KosError('NotFound', 'No token in the request');
  return token;
}

function register(app: Parameters<IdentityRouteModule['register']>[0], deps: IdentityDeps): void {
  const provider = () => tokenProviderOf(deps);
  const auth = { preHandler: deps.authenticated };

  app.post('/v3/auth/tokens', async (req, reply) => {
    const p = provider();
    const outcome = await authenticate({ repo: deps.repo, passwords: deps.passwords, clock: deps.clock, provider: p }, req.body);
    let issued;
    try {
      issued = p.issue(outcome.request);
    } catch (e) {
      if (e instanceof TokenRejected) {
        deps.log.debug({ reason: e.message }, 'token not issued');
        throw e.status === 403 ? new KosError('Forbidden', e.message) : new KosError('Unauthorized', AUTH_REQUIRED);
      }
      throw e;
    }
    if (outcome.consumeTrust) await consumeTrustUse(deps.repo, outcome.consumeTrust);
    const body = p.bodyOfIssued(issued, { catalog: !('nocatalog' in queryOf(req)) });
    return reply.code(201).header('x-subject-token', issued.token).send(body);
  });

  /** GET and HEAD share everything but the rule and the body. */
  const validate = (rule: string, withBody: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { auth: caller } = contextOf(req);
    const subject = subjectTokenOf(req);
    const q = queryOf(req);
    const allowExpired = queryFlag(q.allow_expired) ?? false;
    const resolved = provider().inspect(subject, { allowExpired });
    deps.policy.enforce(rule, caller, { user_id: resolved.subject.id });
    const json = provider().bodyJson(subject, { allowExpired, catalog: !('nocatalog' in q) });
    void reply.code(200).header('x-subject-token', subject).type('application/json; charset=utf-8');
    // HEAD announces the length GET would send; without it Node closes the connection.
    if (!withBody) return reply.header('content-length', Buffer.byteLength(json)).send();
    return reply.send(json);
  };
  app.get('/v3/auth/tokens', { ...auth, exposeHeadRoute: false }, validate('identity:validate_token', true));
  app.head('/v3/auth/tokens', auth, validate('identity:check_token', false));

  app.delete('/v3/auth/tokens', auth, async (req, reply) => {
    const { auth: caller } = contextOf(req);
    const subject = subjectTokenOf(req);
    const resolved = provider().inspect(subject);
    deps.policy.enforce('identity:revoke_token', caller, { user_id: resolved.subject.id });
    await provider().revokeToken(subject);
    return reply.code(204).send();
  });

  // Deprecated PKI revocation list: Keystone answers 403 to everyone since tokens are not stored.
  app.get('/v3/auth/tokens/OS-PKI/revoked', async () => {
    throw new KosError('Forbidden', 'You are not authorized to perform the requested action.');
  });

  app.get('/v3/auth/catalog', auth, async (req) => {
    const { auth: caller } = contextOf(req);
    deps.policy.enforce('identity:get_auth_catalog', caller);
    if (caller.scope.kind !== 'project') {
      throw new KosError('Forbidden', 'A project-scoped token is required to produce a service catalog.');
    }
    return { catalog: provider().catalog(caller.scope.projectId), links: selfLink(req, 'auth/catalog') };
  });

  app.get('/v3/auth/projects', auth, async (req) => {
    const { auth: caller } = contextOf(req);
    deps.policy.enforce('identity:get_auth_projects', caller);
    const projects = projectIdsForUser(deps.repo, caller.userId)
      .map((id) => deps.repo.c.projects.get(id))
      .filter((p): p is Project => p !== undefined && p.enabled && deps.repo.c.domains.get(p.domain_id)?.enabled === true);
    return {
      projects: projects.map((p) => projectView(req, p)),
      links: { self: selfLink(req, 'auth/projects').self, previous: null, next: null },
    };
  });

  app.get('/v3/auth/domains', auth, async (req) => {
    const { auth: caller } = contextOf(req);
    deps.policy.enforce('identity:get_auth_domains', caller);
    const domains = domainIdsForUser(deps.repo, caller.userId)
      .map((id) => deps.repo.c.domains.get(id))
      .filter((d): d is Domain => d !== undefined && d.enabled);
    return {
      domains: domains.map((d) => domainView(req, d)),
      links: { self: selfLink(req, 'auth/domains').self, previous: null, next: null },
    };
  });

  app.get('/v3/auth/system', auth, async (req) => {
    const { auth: caller } = contextOf(req);
    deps.policy.enforce('identity:get_auth_system', caller);
    const roles = provider().roleIds(caller.userId, { type: 'system' });
    return { system: roles.length > 0 ? [{ all: true }] : [], links: selfLink(req, 'auth/system') };
  });
}

export const routes: IdentityRouteModule = { rules, register };
