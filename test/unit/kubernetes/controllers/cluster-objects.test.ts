import { describe, expect, it } from 'vitest';
import { summarize } from '../../../../src/kubernetes/controllers/cluster-objects.js';

const encode = (obj: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(obj));
const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true, blockOwnerDeletion: true };

describe('summarize', () => {
  it('reads what the collector decides on from the metadata alone', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1-a', namespace: 'default', uid: 'pod-uid', ownerReferences: [owner, { bogus: true }], finalizers: ['f', 3], deletionTimestamp: '2026-01-01T00:00:00Z' },
      spec: { containers: [{ name: 'main', image: 'x', args: ['"metadata":{"uid":"not-this"}'] }] },
      status: { phase: 'Running' },
    };
    expect(summarize(encode(pod))).toEqual({ uid: 'pod-uid', namespace: 'default', ownerReferences: [owner], finalizers: ['f'], deleting: true });
  });

  it('finds metadata after other members, and takes an object without it as having none', () => {
    expect(summarize(encode({ spec: { metadata: { uid: 'inner' } }, metadata: { uid: 'outer' } })).uid).toBe('outer');
    expect(summarize(encode({ kind: 'X' }))).toEqual({ uid: '', namespace: undefined, ownerReferences: [], finalizers: [], deleting: false });
  });
});
