import { describe, expect, it } from 'vitest';
import {
  filterNodeAffinity,
  filterNodeName,
  filterPorts,
  filterResources,
  filterTaints,
  filterUnschedulable,
} from '../../../../src/kubernetes/scheduler/node-filters.js';
import { cacheWith, info, node, pod, requesting } from './fixtures.js';

const nodeInfo = (n = node('n1')) => cacheWith([n]).node(n.metadata.name!)!;

describe('NodeResourcesFit', () => {
  it('passes a pod that fits and names every resource that does not', () => {
    const cache = cacheWith([node('n1', { cpu: '2', memory: '1Gi', ephemeral: '1Gi' })], [[pod('old', requesting('1500m', '512Mi')), 'n1']]);
    const n = cache.node('n1')!;
    expect(filterResources(info(pod('ok', requesting('500m', '512Mi'))), n)).toBeUndefined();
    expect(filterResources(info(pod('cpu', requesting('501m'))), n)?.reasons).toEqual(['Insufficient cpu']);
    const both = pod('both', { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' } } }] });
    expect(filterResources(info(both), n)).toEqual({ reasons: ['Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage'], unresolvable: false });
  });

  it('counts pods against allocatable pods, requests or not', () => {
    const cache = cacheWith([node('n1', { pods: '1' })], [[pod('old'), 'n1']]);
    expect(filterResources(info(pod('new')), cache.node('n1')!)?.reasons).toEqual(['Too many pods']);
  });

  it('counts assumed pods at once and frees them when forgotten', () => {
    const cache = cacheWith([node('n1', { cpu: '1' })]);
    cache.addPod({ ...info(pod('a', requesting('800m'))), nodeName: 'n1' }, true);
    expect(filterResources(info(pod('b', requesting('300m'))), cache.node('n1')!)?.reasons).toEqual(['Insufficient cpu']);
    cache.removePod('default/a');
    expect(filterResources(info(pod('b', requesting('300m'))), cache.node('n1')!)).toBeUndefined();
  });
});

describe('NodeName, NodeUnschedulable', () => {
  it('rejects other nodes than spec.nodeName', () => {
    expect(filterNodeName(info(pod('p', { nodeName: 'n2' })), nodeInfo())).toEqual({ reasons: ["node(s) didn't match the requested node name"], unresolvable: true });
    expect(filterNodeName(info(pod('p', { nodeName: 'n1' })), nodeInfo())).toBeUndefined();
  });

  it('rejects cordoned nodes unless the pod tolerates node.kubernetes.io/unschedulable', () => {
    const n = nodeInfo(node('n1', { unschedulable: true }));
    expect(filterUnschedulable(info(pod('p')), n)?.reasons).toEqual(['node(s) were unschedulable']);
    const tolerant = pod('t', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(filterUnschedulable(info(tolerant), n)).toBeUndefined();
  });
});

describe('TaintToleration', () => {
  const tainted = nodeInfo(
    node('n1', {
      taints: [
        { key: 'soft', effect: 'PreferNoSchedule' },
        { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
        { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
      ],
    }),
  );

  it('reports the first NoSchedule/NoExecute taint not tolerated, ignoring PreferNoSchedule', () => {
    expect(filterTaints(info(pod('p')), tainted)).toEqual({ reasons: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'], unresolvable: true });
    const some = pod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] });
    expect(filterTaints(info(some), tainted)?.reasons).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
  });

  it('matches Equal by value, Exists by key, empty key with Exists as everything, and effects', () => {
    const equalWrongValue = pod('p', { tolerations: [{ operator: 'Exists', key: 'node.kubernetes.io/not-ready' }, { key: 'dedicated', value: 'cpu', effect: 'NoExecute' }] });
    expect(filterTaints(info(equalWrongValue), tainted)).toBeDefined();
    const equal = pod('p', { tolerations: [{ operator: 'Exists', key: 'node.kubernetes.io/not-ready' }, { key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] });
    expect(filterTaints(info(equal), tainted)).toBeUndefined();
    const wrongEffect = pod('p', { tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] });
    expect(filterTaints(info(wrongEffect), tainted)?.reasons).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
    expect(filterTaints(info(pod('p', { tolerations: [{ operator: 'Exists' }] })), tainted)).toBeUndefined();
  });
});

describe('NodeAffinity', () => {
  const n = nodeInfo(node('n1', { zone: 'az1', labels: { disk: 'ssd', cores: '16' } }));
  const required = (expressions: unknown[]): Record<string, unknown> => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } },
  });

  it('checks nodeSelector', () => {
    expect(filterNodeAffinity(info(pod('p', { nodeSelector: { disk: 'ssd' } })), n)).toBeUndefined();
    expect(filterNodeAffinity(info(pod('p', { nodeSelector: { disk: 'hdd' } })), n)).toEqual({ reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true });
  });

  it('evaluates In, NotIn, Exists, DoesNotExist, Gt, Lt and matchFields', () => {
    const ok = (e: unknown[]): boolean => filterNodeAffinity(info(pod('p', required(e))), n) === undefined;
    expect(ok([{ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }])).toBe(true);
    expect(ok([{ key: 'disk', operator: 'NotIn', values: ['ssd'] }])).toBe(false);
    expect(ok([{ key: 'gpu', operator: 'DoesNotExist' }, { key: 'disk', operator: 'Exists' }])).toBe(true);
    expect(ok([{ key: 'cores', operator: 'Gt', values: ['8'] }])).toBe(true);
    expect(ok([{ key: 'cores', operator: 'Lt', values: ['8'] }])).toBe(false);
    const fields = (name: string) => ({
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] }] } } },
    });
    expect(filterNodeAffinity(info(pod('p', fields('n1'))), n)).toBeUndefined();
    expect(filterNodeAffinity(info(pod('p', fields('n2'))), n)).toBeDefined();
  });

  it('accepts a node matching any one term', () => {
    const terms = { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] },
      { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['az1'] }] },
    ] } } } };
    expect(filterNodeAffinity(info(pod('p', terms)), n)).toBeUndefined();
  });
});

describe('NodePorts', () => {
  const withPort = (port: number, ip?: string, protocol?: string) =>
    pod(`p${port}${ip ?? ''}${protocol ?? ''}`, { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 1, hostPort: port, ...(ip ? { hostIP: ip } : {}), ...(protocol ? { protocol } : {}) }] }] });

  it('rejects a host port already taken on the node, by protocol and address', () => {
    const cache = cacheWith([node('n1')], [[withPort(80, '10.0.0.1'), 'n1']]);
    const n = cache.node('n1')!;
    expect(filterPorts(info(withPort(80)), n)).toEqual({ reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false });
    expect(filterPorts(info(withPort(80, '10.0.0.1')), n)).toBeDefined();
    expect(filterPorts(info(withPort(80, '10.0.0.2')), n)).toBeUndefined();
    expect(filterPorts(info(withPort(80, undefined, 'UDP')), n)).toBeUndefined();
    expect(filterPorts(info(withPort(81)), n)).toBeUndefined();
    cache.removePod('default/p8010.0.0.1');
    expect(filterPorts(info(withPort(80)), cache.node('n1')!)).toBeUndefined();
  });
});
