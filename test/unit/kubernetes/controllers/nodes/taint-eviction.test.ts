import { describe, expect, it } from 'vitest';
import { decideEviction, minTolerationMs, stayStart } from '../../../../../src/kubernetes/controllers/nodes/taint-eviction/decision.js';
import { tolerates, type Taint } from '../../../../../src/kubernetes/controllers/nodes/taints.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:01:00Z' };
const t1 = Date.parse('2026-01-01T00:01:00Z');

describe('tolerations', () => {
  it('match by key, operator, value and effect', () => {
    expect(tolerates({ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }, { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(true);
    expect(tolerates({ key: 'k', value: 'v' }, { key: 'k', value: 'w', effect: 'NoExecute' })).toBe(false);
    expect(tolerates({ key: 'k', operator: 'Exists' }, { key: 'k', value: 'w', effect: 'NoSchedule' })).toBe(true);
    expect(tolerates({ operator: 'Exists' }, unreachable)).toBe(true);
    expect(tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, { key: 'k', effect: 'NoExecute' })).toBe(false);
    expect(tolerates({ key: '', operator: 'Equal' }, unreachable)).toBe(false);
  });
});

describe('taint-based eviction decisions', () => {
  it('evicts at once a pod that does not tolerate a NoExecute taint', () => {
    expect(decideEviction([unreachable], [], t1, t1)).toEqual({ action: 'evict' });
    expect(decideEviction([unreachable, { key: 'x', effect: 'NoExecute' }], [{ key: unreachable.key, operator: 'Exists' }], t1, t1)).toEqual({ action: 'evict' });
  });

  it('waits the smallest tolerationSeconds of the tolerations in use', () => {
    const tolerations = [
      { key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { operator: 'Exists', tolerationSeconds: 60 },
      { key: 'unrelated', operator: 'Exists', tolerationSeconds: 1 },
    ];
    expect(minTolerationMs([unreachable], tolerations)).toBe(60_000);
    expect(decideEviction([unreachable], tolerations, t1, t1 + 1000)).toEqual({ action: 'wait', untilMs: t1 + 60_000 });
    expect(decideEviction([unreachable], tolerations, t1, t1 + 60_000)).toEqual({ action: 'evict' });
  });

  it('lets a pod stay forever without tolerationSeconds, and treats negative seconds as zero', () => {
    expect(decideEviction([unreachable], [{ key: unreachable.key, operator: 'Exists' }], t1, t1 + 10 ** 9)).toEqual({ action: 'stay' });
    expect(decideEviction([unreachable], [{ operator: 'Exists', tolerationSeconds: -5 }], t1, t1)).toEqual({ action: 'evict' });
    expect(decideEviction([], [], t1, t1)).toEqual({ action: 'stay' });
  });

  it('counts the stay from the oldest stamped taint, or from the pod\'s creation if later', () => {
    expect(stayStart([unreachable, { key: 'b', effect: 'NoExecute', timeAdded: '2026-01-01T00:05:00Z' }], undefined)).toBe(t1);
    expect(stayStart([unreachable], t1 + 5000)).toBe(t1 + 5000);
    expect(stayStart([{ key: 'b', effect: 'NoExecute' }], t1)).toBeUndefined();
  });
});
