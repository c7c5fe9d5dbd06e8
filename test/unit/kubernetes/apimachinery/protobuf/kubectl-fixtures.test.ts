/**
 * Bodies captured from kubectl 1.33.9 (test/fixtures/kubectl-protobuf/capture.ts). The
 * expected JSON is kubectl's own `--dry-run=client -o json` rendering of the same object,
 * so these check the decoder against kubectl, not against itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from '../../../../../src/kubernetes/apimachinery/protobuf/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/kubectl-protobuf');
const names = readdirSync(dir).filter((f) => f.endsWith('.bin')).map((f) => f.slice(0, -'.bin'.length)).sort();

/**
 * kubectl 1.33 writes a zero `creationTimestamp` as null; the Go types from 1.35 on (our
 * tables) mark it omitzero and drop it. Both mean "unset" to the API server.
 */
function withoutNullCreationTimestamp(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullCreationTimestamp);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'creationTimestamp' && v === null) continue;
    out[k] = withoutNullCreationTimestamp(v);
  }
  return out;
}

describe('kubectl 1.33 protobuf bodies', () => {
  it('has the captured commands', () => {
    expect(names).toEqual(expect.arrayContaining([
      'autoscale', 'can-i', 'can-i-list', 'configmap', 'deployment', 'namespace', 'secret', 'token',
    ]));
  });

  it.each(names)('%s decodes to the JSON kubectl would send', (name) => {
    const body = readFileSync(join(dir, `${name}.bin`));
    const expected = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>;
    const decoded = decodeProtobufBody(body);
    expect(decoded.kind).toBe(expected['kind']);
    expect(decoded.apiVersion).toBe(expected['apiVersion']);
    expect(decoded.object).toStrictEqual(withoutNullCreationTimestamp(expected));
  });
});
