import { describe, expect, it } from 'vitest';
import { builtinRegistry, createRegistry, MessageDecoder } from '../../../../../src/kubernetes/apimachinery/protobuf/index.js';
import type { PackageTable } from '../../../../../src/kubernetes/apimachinery/protobuf/index.js';
import { parseMessage } from '../../../../../src/kubernetes/apimachinery/protobuf/descriptor.js';

const table = (messages: Record<string, string>, kinds: string[] = []): PackageTable =>
  ({ package: 'x.v1', groupVersion: 'x.io/v1', kinds, messages });

describe('message registry', () => {
  it('knows every kind kubectl sends as protobuf', () => {
    const registry = builtinRegistry();
    const kinds: Array<[string, string, string]> = [
      ['v1', 'Secret', 'core.v1.Secret'],
      ['v1', 'ConfigMap', 'core.v1.ConfigMap'],
      ['v1', 'Namespace', 'core.v1.Namespace'],
      ['v1', 'Service', 'core.v1.Service'],
      ['v1', 'ServiceAccount', 'core.v1.ServiceAccount'],
      ['v1', 'ResourceQuota', 'core.v1.ResourceQuota'],
      ['apps/v1', 'Deployment', 'apps.v1.Deployment'],
      ['batch/v1', 'Job', 'batch.v1.Job'],
      ['batch/v1', 'CronJob', 'batch.v1.CronJob'],
      ['rbac.authorization.k8s.io/v1', 'Role', 'rbac.v1.Role'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rbac.v1.RoleBinding'],
      ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'rbac.v1.ClusterRole'],
      ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'rbac.v1.ClusterRoleBinding'],
      ['policy/v1', 'PodDisruptionBudget', 'policy.v1.PodDisruptionBudget'],
      ['policy/v1', 'Eviction', 'policy.v1.Eviction'],
      ['scheduling.k8s.io/v1', 'PriorityClass', 'scheduling.v1.PriorityClass'],
      ['networking.k8s.io/v1', 'Ingress', 'networking.v1.Ingress'],
      ['autoscaling/v1', 'HorizontalPodAutoscaler', 'autoscaling.v1.HorizontalPodAutoscaler'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler', 'autoscaling.v2.HorizontalPodAutoscaler'],
      ['authorization.k8s.io/v1', 'SelfSubjectAccessReview', 'authorization.v1.SelfSubjectAccessReview'],
      ['authorization.k8s.io/v1', 'SelfSubjectRulesReview', 'authorization.v1.SelfSubjectRulesReview'],
      ['authentication.k8s.io/v1', 'TokenRequest', 'authentication.v1.TokenRequest'],
      ['apps/v1', 'DeleteOptions', 'meta.v1.DeleteOptions'],
      ['meta.k8s.io/v1', 'DeleteOptions', 'meta.v1.DeleteOptions'],
    ];
    for (const [apiVersion, kind, message] of kinds) expect(registry.kindMessage(apiVersion, kind)).toBe(message);
    expect(registry.kindMessage('apps/v1', 'Secret')).toBeUndefined();
    expect(registry.kindMessage('v1', 'Deployment')).toBeUndefined();
  });

  it('describes the whole PodSpec tree', () => {
    const names = new Set(builtinRegistry().names);
    for (const n of ['PodSpec', 'Container', 'EphemeralContainerCommon', 'VolumeSource', 'CSIVolumeSource',
      'ProjectedVolumeSource', 'Affinity', 'PodAntiAffinity', 'TopologySpreadConstraint', 'Probe', 'Lifecycle',
      'SecurityContext', 'SeccompProfile', 'PodDNSConfig', 'PodResourceClaim', 'ResourceRequirements']) {
      expect(names.has(`core.v1.${n}`), n).toBe(true);
    }
  });

  it('refuses a table that refers to a message nobody describes', () => {
    expect(() => createRegistry([table({ A: '1 b @B?' })])).toThrow(/x\.v1\.A refers to undescribed message x\.v1\.B/);
    expect(() => createRegistry([table({ A: '1 t @meta.v1.Time' })])).not.toThrow();
    expect(() => createRegistry([table({}, ['Missing'])])).toThrow(/has no message/);
  });

  it('parses the compact field syntax', () => {
    const d = parseMessage('x.v1', 'A', '1 name s, 2 - @Inner^, 3 items []@Item?, 4 labels {}s?, 5 replicas i*?, 7 t @meta.v1.Time?!');
    expect(d.kind).toBe('struct');
    if (d.kind !== 'struct') return;
    expect(d.fields.get(1)).toMatchObject({ jsonName: 'name', cardinality: 'single', pointer: false, omitEmpty: false });
    expect(d.fields.get(2)).toMatchObject({ jsonName: '', inline: true, value: { kind: 'message', message: 'x.v1.Inner' } });
    expect(d.fields.get(3)).toMatchObject({ cardinality: 'repeated', omitEmpty: true, value: { message: 'x.v1.Item' } });
    expect(d.fields.get(4)).toMatchObject({ cardinality: 'map', value: { kind: 'scalar', scalar: 'string' } });
    expect(d.fields.get(5)).toMatchObject({ pointer: true, omitEmpty: true, value: { scalar: 'int32' } });
    expect(d.fields.get(7)).toMatchObject({ omitZero: true, value: { message: 'meta.v1.Time' } });
    expect(parseMessage('x.v1', 'E', '[]s')).toMatchObject({ kind: 'slice', element: { scalar: 'string' } });
    expect(() => parseMessage('x.v1', 'A', '1 name q')).toThrow(/bad type/);
    expect(() => parseMessage('x.v1', 'A', '1 - s')).toThrow(/inline/);
    expect(() => parseMessage('x.v1', 'A', '1 a s, 1 b s')).toThrow(/twice/);
  });
});

describe('named slice fields', () => {
  it('are omitted when empty under omitempty, like a Go slice', () => {
    const registry = createRegistry([table({ Names: '[]s', Holder: '1 names @Names?, 2 kept @Names' })]);
    const decoder = new MessageDecoder(registry);
    expect(decoder.decode('x.v1.Holder', new Uint8Array(0))).toEqual({ kept: null });
    expect(decoder.decode('x.v1.Holder', Uint8Array.of(0x0a, 0x03, 0x0a, 0x01, 0x61))).toEqual({ names: ['a'], kept: null });
  });
});
