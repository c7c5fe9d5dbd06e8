/**
 * OS-REVOKE: the revocation events, for services that validate tokens themselves and
 * want to know what was revoked since they last asked.
 */
import { KosError } from '../../../core/errors.js';
import { always, anyOf, isAdmin, withRole } from '../../common/policy.js';
import { contextOf } from '../../common/auth.js';
import type { IdentityRouteModule } from '../deps.js';
import type { RevocationEvent } from '../model.js';
import { isoFromMicros, microsFromIso } from '../token/micros.js';
import { tokenProviderOf } from '../token/provider-of.js';
import { queryOf, selfLink } from '../wire.js';

/** An event as Keystone shows it: only the fields it sets, trust and OAuth ids prefixed. */
function eventBody(e: RevocationEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['user_id', 'role_id', 'domain_id', 'project_id', 'audit_id', 'audit_chain_id'] as const) {
    if (e[key] !== undefined) out[key] = e[key];
  }
  if (e.trust_id !== undefined) out['OS-TRUST:trust_id'] = e.trust_id;
  if (e.consumer_id !== undefined) out['OS-OAUTH1:consumer_id'] = e.consumer_id;
  if (e.access_token_id !== undefined) out['OS-OAUTH1:access_token_id'] = e.access_token_id;
  if (e.expires_at !== undefined) {
    const us = microsFromIso(e.expires_at);
    out.expires_at = us === undefined ? e.expires_at : isoFromMicros(Math.floor(us / 1e6) * 1e6).replace('.000000Z', 'Z');
  }
  out.issued_before = e.issued_before;
  out.revoked_at = e.revoked_at;
  return out;
}

export const routes: IdentityRouteModule = {
  rules: {
    'identity:list_revoke_events': anyOf(isAdmin, withRole('service', always)),
  },
  register(app, deps) {
    app.get('/v3/OS-REVOKE/events', { preHandler: deps.authenticated }, async (req) => {
      const { auth } = contextOf(req);
      deps.policy.enforce('identity:list_revoke_events', auth);
      const since = queryOf(req).since;
      let sinceMicros: number | undefined;
      if (since !== undefined) {
        sinceMicros = microsFromIso(since);
        if (sinceMicros === undefined) throw new KosError('BadRequest', `Invalid time format for 'since': ${since}.`);
      }
      const events = tokenProviderOf(deps).events(sinceMicros).map(eventBody);
      return { events, links: { ...selfLink(req, 'OS-REVOKE/events'), previous: null, next: null } };
    });
  },
};
