import { describe, expect, it } from 'vitest';
import { isKosError } from '../../../../src/core/errors.js';
import {
  FieldSelector,
  applyJsonPatchBody,
  applyMergePatchToObject,
  applyStrategicMergePatch,
  parseLabelSelector,
  patchMetaFor,
} from '../../../../src/kubernetes/apimachinery/index.js';

/** A small seeded generator, so a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const alphabet = ['a', 'b', '=', '!', ',', '(', ')', ' ', 'in', 'notin', '\\', '/', '.', '-', '>', '<', '$', '~', '0'];
const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

function randomText(next: () => number): string {
  const length = Math.floor(next() * 12);
  return Array.from({ length }, () => pick(next, alphabet)).join('');
}

function randomJson(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.3) return pick(next, [null, 1, 'x', true, '$patch', 'delete', 'replace', 80]);
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 3) }, () => randomJson(next, depth + 1));
  const keys = ['name', 'containers', 'ports', 'containerPort', '$patch', '$retainKeys', '$setElementOrder/containers',
    '$deleteFromPrimitiveList/finalizers', 'finalizers', 'spec', 'metadata', 'op', 'path', 'value', 'from'];
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 4); i > 0; i--) out[pick(next, keys)] = randomJson(next, depth + 1);
  return out;
}

/** Anything thrown must be a KosError with a client-error status, never a crash. */
function onlyClientErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(isKosError(e), String(e)).toBe(true);
    if (isKosError(e)) expect(e.status).toBeLessThan(500);
  }
}

describe('bad input', () => {
  it('selectors and patches answer random input with 4xx errors only', () => {
    const next = random(20240601);
    const pod = { group: '', version: 'v1', kind: 'Pod' };
    const doc = {
      metadata: { name: 'p', finalizers: ['a'] },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
    };
    for (let i = 0; i < 400; i++) {
      const text = randomText(next);
      onlyClientErrors(() => parseLabelSelector(text));
      onlyClientErrors(() => FieldSelector.parse(text.replace(/in/g, 'metadata.name'), pod));
      const patch = randomJson(next, 0);
      onlyClientErrors(() => applyStrategicMergePatch(doc, patch, patchMetaFor(pod)));
      onlyClientErrors(() => applyStrategicMergePatch(doc, { spec: patch }, patchMetaFor(pod)));
      onlyClientErrors(() => applyMergePatchToObject(doc, patch));
      onlyClientErrors(() => applyJsonPatchBody(doc, Array.isArray(patch) ? patch : [patch]));
    }
  });
});
