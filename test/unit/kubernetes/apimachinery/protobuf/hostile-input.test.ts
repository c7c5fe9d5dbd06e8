/**
 * Fuzz-style: mutated and truncated kubectl bodies must either decode or be refused with
 * a KosError (400/415) — never a TypeError, RangeError or a hang. Seeded, so a failure
 * replays.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isKosError } from '../../../../../src/core/errors.js';
import { decodeProtobufBody } from '../../../../../src/kubernetes/apimachinery/protobuf/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/kubectl-protobuf');
const bodies = readdirSync(dir).filter((f) => f.endsWith('.bin')).map((f) => readFileSync(join(dir, f)));

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('hostile protobuf bodies', () => {
  it('are decoded or refused with a 400/415, nothing else', () => {
    const random = mulberry32(20240611);
    const pick = (n: number): number => Math.floor(random() * n);
    let refused = 0;
    for (let i = 0; i < 1500; i++) {
      const source = bodies[pick(bodies.length)] ?? Buffer.alloc(0);
      const body = Buffer.from(source);
      const mutation = pick(3);
      if (mutation === 0) {
        for (let k = 0; k <= pick(3); k++) body[4 + pick(body.length - 4)] = pick(256);
      }
      const input = mutation === 1 ? body.subarray(0, 4 + pick(body.length - 4)) : body;
      if (mutation === 2) body[4 + pick(body.length - 4)] = 0xff;
      try {
        decodeProtobufBody(input);
      } catch (e) {
        if (!isKosError(e) || (e.status !== 400 && e.status !== 415)) throw e;
        refused++;
      }
    }
    expect(bodies.length).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(100);
  });
});
