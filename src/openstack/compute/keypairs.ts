/**
 * Keypairs (os-keypairs): per user, imported or generated (ed25519 via node:crypto when no
 * public key is given, the private key returned once), with Nova's MD5 fingerprint of the
 * key blob and the type field from 2.2, other users' keypairs for admins from 2.10.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeCtx } from './context.js';
import type { ComputeCore } from './core.js';
import { badRequest, conflict, notFound } from './errors.js';
import { baseUrl, ctxOf, member, param, queryOf, str, type Json } from './http.js';
import { nextLinks, paginate } from './listing.js';
import type { Keypair } from './model.js';
import { computePolicy } from './policy.js';
import { checkQuota } from './quotas.js';

const SSH_TYPES = /^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh.com|sk-ecdsa-sha2-nistp256@openssh.com)$/;

const colonHex = (buf: Buffer): string => buf.toString('hex').match(/../g)!.join(':');

/** Nova's fingerprint of an OpenSSH public key: MD5 of the base64 blob, or 400. */
export function sshFingerprint(publicKey: string): string {
  const [type, blob] = publicKey.trim().split(/\s+/);
  if (!type || !blob || !SSH_TYPES.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) throw badRequest('Keypair data is invalid: failed to generate fingerprint');
  const raw = Buffer.from(blob, 'base64');
  const len = raw.length >= 4 ? raw.readUInt32BE(0) : -1;
  if (len <= 0 || raw.subarray(4, 4 + len).toString() !== type) throw badRequest('Keypair data is invalid: failed to generate fingerprint');
  return colonHex(createHash('md5').update(raw).digest());
}

function sshString(s: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(s.length);
  return Buffer.concat([len, s]);
}

/** A new ed25519 keypair: the OpenSSH public key and a PKCS#8 PEM private key. */
export function generateKeypair(comment: string): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return {
    publicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

const keyId = (userId: string, name: string) => `${userId}/${encodeURIComponent(name)}`;

function targetUser(req: FastifyRequest, ctx: ComputeCtx, fromBody?: unknown): string {
  const asked = fromBody ?? (ctx.mv >= 10 ? queryOf(req).get('user_id') : null);
  if (asked === null || asked === undefined || asked === ctx.userId) return ctx.userId;
  computePolicy.enforce('os_compute_api:os-keypairs:other-user', ctx.auth);
  return str(asked, 'user_id');
}

function view(k: Keypair, ctx: ComputeCtx, full: boolean): Json {
  const v: Json = { name: k.name, public_key: k.public_key, fingerprint: k.fingerprint };
  if (ctx.mv >= 2) v.type = k.type;
  if (full) Object.assign(v, { user_id: k.user_id, created_at: k.created_at.replace('Z', '.000000'), deleted: false, deleted_at: null, updated_at: null, id: 0 });
  return v;
}

export function registerKeypairs(app: FastifyInstance, core: ComputeCore): void {
  const repo = core.repo.keypairs;
  const find = (userId: string, name: string): Keypair => {
    const k = repo.get(keyId(userId, name));
    if (!k) throw notFound(`Keypair ${name} not found for user ${userId}.`);
    return k;
  };

  app.get('/v2.1/os-keypairs', async (req) => {
    const ctx = ctxOf(req);
    const user = targetUser(req, ctx);
    const q = queryOf(req);
    const mine = repo.byIndex('user', user).sort((a, b) => a.name.localeCompare(b.name));
    const page = ctx.mv >= 35 ? paginate(mine, { limit: q.get('limit') ?? undefined, marker: q.get('marker') ?? undefined }, (k) => k.name) : { items: mine };
    const out: Json = { keypairs: page.items.map((k) => ({ keypair: view(k, ctx, false) })) };
    const links = nextLinks(`${baseUrl(req)}/v2.1/os-keypairs`, q, page.next);
    if (links) out.keypairs_links = links;
    return out;
  });

  app.get('/v2.1/os-keypairs/:name', async (req) => {
    const ctx = ctxOf(req);
    return { keypair: view(find(targetUser(req, ctx), param(req, 'name')), ctx, true) };
  });

  app.post('/v2.1/os-keypairs', async (req, reply) => {
    const ctx = ctxOf(req);
    const b = member(req.body, 'keypair');
    const allowed = new Set(['name', 'public_key', ...(ctx.mv >= 2 ? ['type'] : []), ...(ctx.mv >= 10 ? ['user_id'] : [])]);
    for (const k of Object.keys(b)) if (!allowed.has(k)) throw badRequest(`Additional properties are not allowed ('${k}' was unexpected)`);
    const name = str(b.name, 'name');
    const pattern = ctx.mv >= 92 ? /^[a-zA-Z0-9 @._-]+$/ : /^[a-zA-Z0-9 _-]+$/;
    if (!pattern.test(name) || name.trim() === '') throw badRequest(`Invalid input for field/attribute name. Value: ${name}. '${name}' does not match '^[a-zA-Z0-9 _-]+$'`);
    const type = b.type === undefined ? 'ssh' : b.type === 'ssh' || b.type === 'x509' ? b.type : (() => { throw badRequest(`Invalid input for field/attribute type. Value: ${String(b.type)}. '${String(b.type)}' is not one of ['ssh', 'x509']`); })();
    const user = targetUser(req, ctx, b.user_id);
    let publicKey: string;
    let privateKey: string | undefined;
    let fingerprint: string;
    if (b.public_key === undefined) {
      if (ctx.mv >= 92) throw badRequest(`Invalid input for field/attribute keypair. 'public_key' is a required property`);
      const g = generateKeypair(`Generated-by-Nova`);
      publicKey = g.publicKey;
      privateKey = g.privateKey;
      fingerprint = sshFingerprint(publicKey);
    } else {
      publicKey = str(b.public_key, 'public_key', 65535, 0);
      fingerprint = type === 'x509' ? colonHex(createHash('sha1').update(publicKey).digest()) : sshFingerprint(publicKey);
    }
    const created = await core.repo.writes.run(async () => {
      checkQuota(core, ctx.projectId, { key_pairs: 1 }, user);
      if (repo.has(keyId(user, name))) throw conflict(`Key pair '${name}' already exists.`);
      return repo.create({ id: keyId(user, name), name, user_id: user, type, public_key: publicKey, fingerprint, created_at: core.now() });
    });
    const v: Json = { ...view(created, ctx, false), user_id: created.user_id };
    if (privateKey) v.private_key = privateKey;
    return reply.code(ctx.mv >= 2 ? 201 : 200).send({ keypair: v });
  });

  app.delete('/v2.1/os-keypairs/:name', async (req, reply) => {
    const ctx = ctxOf(req);
    const k = find(targetUser(req, ctx), param(req, 'name'));
    await repo.delete(k.id);
    return reply.code(ctx.mv >= 2 ? 204 : 202).send();
  });
}
