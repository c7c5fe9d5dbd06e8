/**
 * Revocation events, indexed so that checking a token costs a handful of map lookups
 * however many events exist. Each event is filed under its most selective field (audit
 * id, then chain, trust, user, project, domain, role); a token looks up only the keys it
 * could match and runs the full comparison on what it finds there.
 *
 * An event revokes a token when every field the event sets matches the token and the
 * token was issued at or before the event's issued_before — Keystone's rules:
 * user_id matches the token's user, trustor or trustee; domain_id the user's domain or
 * the scope's domain; role_id any role the token carries; expires_at the token's expiry
 * to the second.
 */
import type { RevocationEvent } from '../model.js';
import { microsFromIso } from './micros.js';

/** What revocation looks at in a token. */
export interface RevocationSubject {
  issuedAt: number;
  expiresAt: number;
  auditId: string;
  /** The audit id of the chain the token belongs to (its own, for an original token). */
  auditChainId: string;
  userId: string;
  trustorId?: string;
  trusteeId?: string;
  projectId?: string;
  userDomainId: string;
  /** The project's domain for a project scope, the domain for a domain scope. */
  scopeDomainId?: string;
  trustId?: string;
  roleIds: readonly string[];
}

interface IndexedEvent {
  event: RevocationEvent;
  issuedBefore: number;
  expiresAtSeconds?: number;
}

const fileKey = (e: RevocationEvent): string =>
  e.audit_id
    ? `a:${e.audit_id}`
    : e.audit_chain_id
      ? `c:${e.audit_chain_id}`
      : e.trust_id
        ? `t:${e.trust_id}`
        : e.user_id
          ? `u:${e.user_id}`
          : e.project_id
            ? `p:${e.project_id}`
            : e.domain_id
              ? `d:${e.domain_id}`
              : e.role_id
                ? `r:${e.role_id}`
                : '*';

function matches(x: IndexedEvent, t: RevocationSubject): boolean {
  const e = x.event;
  if (t.issuedAt > x.issuedBefore) return false;
  if (e.audit_id !== undefined && e.audit_id !== t.auditId) return false;
  if (e.audit_chain_id !== undefined && e.audit_chain_id !== t.auditChainId) return false;
  if (e.trust_id !== undefined && e.trust_id !== t.trustId) return false;
  if (e.user_id !== undefined && e.user_id !== t.userId && e.user_id !== t.trustorId && e.user_id !== t.trusteeId) return false;
  if (e.project_id !== undefined && e.project_id !== t.projectId) return false;
  if (e.domain_id !== undefined && e.domain_id !== t.userDomainId && e.domain_id !== t.scopeDomainId) return false;
  if (e.role_id !== undefined && !t.roleIds.includes(e.role_id)) return false;
  if (e.trustor_id !== undefined && e.trustor_id !== t.trustorId) return false;
  if (e.trustee_id !== undefined && e.trustee_id !== t.trusteeId) return false;
  // kos issues no OAuth1 tokens: an event about a consumer or access token matches none.
  if (e.consumer_id !== undefined || e.access_token_id !== undefined) return false;
  if (x.expiresAtSeconds !== undefined && x.expiresAtSeconds !== Math.floor(t.expiresAt / 1e6)) return false;
  return true;
}

export class RevocationIndex {
  private readonly byKey = new Map<string, IndexedEvent[]>();
  private count = 0;

  constructor(events: Iterable<RevocationEvent> = []) {
    for (const e of events) this.add(e);
  }

  get size(): number {
    return this.count;
  }

  add(event: RevocationEvent): void {
    const issuedBefore = microsFromIso(event.issued_before) ?? microsFromIso(event.revoked_at) ?? 0;
    const expires = event.expires_at !== undefined ? microsFromIso(event.expires_at) : undefined;
    const indexed: IndexedEvent = { event, issuedBefore };
    if (expires !== undefined) indexed.expiresAtSeconds = Math.floor(expires / 1e6);
    const key = fileKey(event);
    const list = this.byKey.get(key);
    if (list) list.push(indexed);
    else this.byKey.set(key, [indexed]);
    this.count++;
  }

  /** The first event revoking the token, if any. */
  revokedBy(t: RevocationSubject): RevocationEvent | undefined {
    if (this.count === 0) return undefined;
    const keys = [`a:${t.auditId}`, `c:${t.auditChainId}`, `u:${t.userId}`, `d:${t.userDomainId}`, '*'];
    if (t.trustId) keys.push(`t:${t.trustId}`);
    if (t.trustorId) keys.push(`u:${t.trustorId}`);
    if (t.trusteeId) keys.push(`u:${t.trusteeId}`);
    if (t.projectId) keys.push(`p:${t.projectId}`);
    if (t.scopeDomainId) keys.push(`d:${t.scopeDomainId}`);
    for (const r of t.roleIds) keys.push(`r:${r}`);
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (!list) continue;
      for (const x of list) if (matches(x, t)) return x.event;
    }
    return undefined;
  }
}
