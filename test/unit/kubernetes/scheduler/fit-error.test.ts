import { describe, expect, it } from 'vitest';
import { unschedulableMessage } from '../../../../src/kubernetes/scheduler/fit-error.js';

describe('unschedulableMessage', () => {
  it('writes the real scheduler message: counts sorted as strings, preemption part, and the double period', () => {
    const reasons = new Map([
      ['Insufficient cpu', 3],
      ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', 1],
    ]);
    expect(unschedulableMessage({ numAllNodes: 4, reasons, unresolvableNodes: 1, resolvableNodes: 3, preemptNever: false })).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..',
    );
  });

  it('sorts "10 …" before "2 …" as upstream sort.Strings does, and counts each reason of a node', () => {
    const reasons = new Map([
      ['Insufficient memory', 2],
      ['Insufficient cpu', 10],
      ["node(s) didn't match Pod's node affinity/selector", 2],
    ]);
    expect(unschedulableMessage({ numAllNodes: 12, reasons, unresolvableNodes: 2, resolvableNodes: 10, preemptNever: false })).toBe(
      "0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..",
    );
  });

  it('says so when there are no nodes, and when the pod may not preempt', () => {
    expect(unschedulableMessage({ numAllNodes: 0, reasons: new Map(), unresolvableNodes: 0, resolvableNodes: 0, preemptNever: false })).toBe('no nodes available to schedule pods');
    expect(unschedulableMessage({ numAllNodes: 1, reasons: new Map([['Too many pods', 1]]), unresolvableNodes: 0, resolvableNodes: 1, preemptNever: true })).toBe(
      '0/1 nodes are available: 1 Too many pods. preemption: not eligible due to preemptionPolicy=Never..',
    );
  });
});
