/**
 * Template hashes for names and labels (pod-template-hash, controller-revision-hash).
 * Upstream hashes the Go object with FNV-32a and renders the decimal digits through a
 * vowel-free alphabet so the result is label-safe and never spells words; kos hashes a
 * key-sorted JSON rendering instead, so equal templates hash equally however their keys
 * were ordered.
 */
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * JSON with object keys sorted at every level. Null members are left out: in Kubernetes
 * JSON null means absent (kubectl sends `creationTimestamp: null` in pod templates), so a
 * template patched back by `rollout undo` still equals the one its ReplicaSet holds.
 */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Each character mapped into the safe alphabet by its code, as rand.SafeEncodeString does. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += safeAlphabet[s.charCodeAt(i) % safeAlphabet.length];
  return out;
}

const encoder = new TextEncoder();

/**
 * The hash of a template; a collision count (bumped when a name is taken by a different
 * object) is folded in as four little-endian bytes, so each bump yields a new name.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(encoder.encode(stableJson(template)));
  if (collisionCount !== undefined && collisionCount > 0) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncode(String(h));
}

/** Deep equality of JSON values regardless of key order. */
export const sameJson = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);
