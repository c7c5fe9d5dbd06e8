import { describe, expect, it } from 'vitest';
import { KosError } from '../../../../src/core/errors.js';
import { TokenRejected } from '../../../../src/openstack/identity/token/resolve.js';
import { basicWorld } from './fixture.js';

const HOUR_MS = 3600_000;

async function rejects(p: Promise<unknown>, status = 401): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof KosError && e.status === status);
}

describe('token provider', () => {
  it('issues a project token whose context carries the effective roles', async () => {
    const { project, user, provider } = await basicWorld();
    const { token } = provider.issue({ userId: user.id, methods: ['password'], scope: { kind: 'project', id: project.id } });
    const ctx = await provider.validate(token);
    expect(ctx.userId).toBe(user.id);
    expect(ctx.userName).toBe('alice');
    expect(ctx.scope).toEqual({ kind: 'project', projectId: project.id, projectName: 'demo', domainId: 'default', domainName: 'Default' });
    expect(ctx.roles.map((r) => r.name).sort()).toEqual(['member', 'reader']);
    expect(ctx.methods).toEqual(['password']);
    expect(ctx.auditIds).toHaveLength(1);
    expect(ctx.token).toBe(token);
  });

  it('gives the same body on issue and on validation, with microsecond times', async () => {
    const { project, user, provider } = await basicWorld();
    const issued = provider.issue({ userId: user.id, methods: ['password'], scope: { kind: 'project', id: project.id } });
    const atIssue = provider.bodyOfIssued(issued);
    const atValidate = provider.body(issued.token);
    expect(atValidate).toEqual(atIssue);
    const t = atIssue.token;
    expect(t.issued_at).toBe('2026-01-01T00:00:00.000000Z');
    expect(t.expires_at).toBe('2026-01-01T01:00:00.000000Z');
    expect(t.is_domain).toBe(false);
    expect(t.project).toEqual({ domain: { id: 'default', name: 'Default' }, id: project.id, name: 'demo' });
    expect(t.user).toEqual({ domain: { id: 'default', name: 'Default' }, id: user.id, name: 'alice', password_expires_at: null });
    expect(t.catalog).toEqual([]);
    expect(provider.body(issued.token, { catalog: false }).token).not.toHaveProperty('catalog');
  });

  it('refuses to mint a token for a scope without roles, and unscoped tokens carry none', async () => {
    const { w, user, provider } = await basicWorld();
    const other = await w.project('other');
    expect(() => provider.issue({ userId: user.id, methods: ['password'], scope: { kind: 'project', id: other.id } })).toThrow(TokenRejected);
    expect(() => provider.issue({ userId: user.id, methods: ['password'], scope: { kind: 'system' } })).toThrow(TokenRejected);
    const { token } = provider.issue({ userId: user.id, methods: ['password'], scope: { kind: 'unscoped' } });
    const body = provider.body(token).token;
    expect(body).not.toHaveProperty('roles');
    expect(body).not.toHaveProperty('catalog');
    expect(body).not.toHaveProperty('project');
  });

  it('expires tokens on the injected clock; allow_expired extends the window', async () => {
    const { w, project, user, provider } = await basicWorld();
    const { token } = provider.issue({ userId: user.id, methods: ['password'], scope: { kind: 'project', id: project.id } });
    await w.clock.advance(HOUR_MS - 1);
    await expect(provider.validate(token)).resolves.toMatchObject({ userId: user.id });
    await w.clock.advance(1);
    await rejects(provider.validate(token));
    expect(() => provider.inspect(token)).toThrow(`Could not find token: ${token}.`);
    expect(provider.inspect(token, { allowExpired: true }).user.id).toBe(user.id);
    await w.clock.advance(48 * HOUR_MS);
    expect(() => provider.inspect(token, { allowExpired: true })).toThrow(KosError);
  });

  it('rejects tokens whose bytes were changed', async () => {
    const { project, user, provider } = await basicWorld();
    const { token } = provider.issue({ userId: user.id, methods: ['password'], scope: { kind: 'project', id: project.id } });
    const raw = Buffer.from(token, 'base64url');
    raw[20] = raw[20]! ^ 0x40;
    await rejects(provider.validate(raw.toString('base64url')));
    await rejects(provider.validate('garbage'));
  });

  it('revokes one token by audit id, leaving the user’s others valid', async () => {
    const { project, user, provider } = await basicWorld();
    const scope = { kind: 'project' as const, id: project.id };
    const a = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    const b = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    const auditOfA = provider.inspect(a).payload.auditIds[0];
    await provider.revokeToken(a);
    await rejects(provider.validate(a));
    await expect(provider.validate(b)).resolves.toMatchObject({ userId: user.id });
    expect(provider.events().map((e) => e.audit_id)).toEqual([auditOfA]);
  });

  it('revokes every token of a user issued before the event, not those issued after', async () => {
    const { project, user, provider } = await basicWorld();
    const scope = { kind: 'project' as const, id: project.id };
    const before = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    await provider.validate(before); // cached: revocation must still reach it
    await provider.revoke({ user_id: user.id });
    // Same virtual millisecond: ordering comes from the provider's monotonic stamps.
    const after = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    await rejects(provider.validate(before));
    await expect(provider.validate(after)).resolves.toMatchObject({ userId: user.id });
  });

  it('revokes by project, by domain and by role', async () => {
    const { w, member, project, user, provider } = await basicWorld();
    const scope = { kind: 'project' as const, id: project.id };
    const t1 = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    await provider.revoke({ project_id: project.id });
    await rejects(provider.validate(t1));
    const t2 = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    await provider.revoke({ domain_id: 'default' });
    await rejects(provider.validate(t2));
    const t3 = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    const unrelated = await w.role('unrelated');
    await provider.revoke({ role_id: unrelated.id });
    await expect(provider.validate(t3)).resolves.toBeDefined();
    await provider.revoke({ role_id: member.id });
    await rejects(provider.validate(t3));
  });

  it('stops validating when the user is disabled, the project disabled or the role removed', async () => {
    const { w, member, project, user, provider } = await basicWorld();
    const scope = { kind: 'project' as const, id: project.id };
    const token = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    await w.repo.c.users.update(user.id, (u) => ({ ...u, enabled: false }));
    await rejects(provider.validate(token));
    await w.repo.c.users.update(user.id, (u) => ({ ...u, enabled: true }));
    await expect(provider.validate(token)).resolves.toBeDefined();
    await w.repo.c.projects.update(project.id, (p) => ({ ...p, enabled: false }));
    await rejects(provider.validate(token));
    await w.repo.c.projects.update(project.id, (p) => ({ ...p, enabled: true }));
    await w.repo.c.role_assignments.delete(`user:${user.id}:project:${project.id}:${member.id}:false`);
    await rejects(provider.validate(token));
  });

  it('keeps tokens valid across a restart and across a key rotation', async () => {
    const { w, project, user, provider } = await basicWorld();
    const scope = { kind: 'project' as const, id: project.id };
    const old = provider.issue({ userId: user.id, methods: ['password'], scope }).token;
    const restarted = await w.provider();
    await expect(restarted.validate(old)).resolves.toMatchObject({ userId: user.id });
    expect(restarted.rotateKeys()).toEqual([0, 1, 2]);
    await expect(restarted.validate(old)).resolves.toBeDefined();
    const fresh = restarted.issue({ userId: user.id, methods: ['password'], scope }).token;
    restarted.rotateKeys();
    await rejects(restarted.validate(old));
    await expect(restarted.validate(fresh)).resolves.toBeDefined();
  });

  it('caps an application-credential token at the credential’s expiry and restricts its roles', async () => {
    const { w, member, reader, project, user, provider } = await basicWorld();
    await w.repo.c.application_credentials.create({
      id: 'c0ffee00c0ffee00c0ffee00c0ffee00', name: 'ci', description: null, user_id: user.id, project_id: project.id,
      secret_hash: 'x', expires_at: '2026-01-01T00:10:00.000000', unrestricted: false, role_ids: [reader.id], access_rule_ids: [],
    });
    const issued = provider.issue({
      userId: user.id, methods: ['application_credential'], scope: { kind: 'project', id: project.id }, appCredId: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    });
    const body = provider.body(issued.token).token;
    expect(body.expires_at).toBe('2026-01-01T00:10:00.000000Z');
    expect(body.roles).toEqual([{ id: reader.id, name: 'reader' }]);
    expect(body.application_credential).toEqual({ id: 'c0ffee00c0ffee00c0ffee00c0ffee00', name: 'ci', restricted: true });
    expect(member.id).not.toBe(reader.id);
    await w.repo.c.application_credentials.delete('c0ffee00c0ffee00c0ffee00c0ffee00');
    await rejects(provider.validate(issued.token));
  });

  it('renders trust-scoped tokens with the trust, impersonating the trustor when asked', async () => {
    const { w, member, project, user: trustor, provider } = await basicWorld();
    const trustee = await w.user('bob');
    await w.repo.c.trusts.create({
      id: 'feedfeedfeedfeedfeedfeedfeedfeed', trustor_user_id: trustor.id, trustee_user_id: trustee.id, project_id: project.id,
      impersonation: true, expires_at: null, remaining_uses: null, role_ids: [member.id], allow_redelegation: false,
      redelegated_trust_id: null, redelegation_count: 0, deleted_at: null,
    });
    const issued = provider.issue({
      userId: trustee.id, methods: ['password'], scope: { kind: 'project', id: project.id }, trustId: 'feedfeedfeedfeedfeedfeedfeedfeed',
    });
    const body = provider.body(issued.token).token;
    expect(body['OS-TRUST:trust']).toEqual({
      id: 'feedfeedfeedfeedfeedfeedfeedfeed', trustor_user: { id: trustor.id }, trustee_user: { id: trustee.id }, impersonation: true,
    });
    expect((body.user as { id: string }).id).toBe(trustor.id);
    expect(body).not.toHaveProperty('is_domain');
    expect((body.roles as { name: string }[]).map((r) => r.name).sort()).toEqual(['member', 'reader']);
    // The trustor losing the delegated role voids the trust's tokens.
    await w.repo.c.role_assignments.delete(`user:${trustor.id}:project:${project.id}:${member.id}:false`);
    await rejects(provider.validate(issued.token));
  });
});
