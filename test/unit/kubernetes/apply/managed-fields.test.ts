import { describe, expect, it } from 'vitest';
import { applyConfiguration, recordUpdate, type Writer } from '../../../../src/kubernetes/apiserver/apply/managed-fields.js';
import { fieldSetOf, fromFieldsV1, toFieldsV1 } from '../../../../src/kubernetes/apiserver/apply/field-set.js';
import { ShapeCatalog } from '../../../../src/kubernetes/apiserver/apply/shape.js';
import { ResourceCatalog } from '../../../../src/kubernetes/apiserver/catalog.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { builtinResources } from '../../../../src/kubernetes/apiserver/resources/index.js';
import type { StatusError } from '../../../../src/kubernetes/apiserver/status.js';

const shape = new ShapeCatalog(new ResourceCatalog(builtinResources)).shapeOf(builtinResources.find((r) => r.kind === 'Deployment')!);
const writer = (manager: string): Writer => ({ manager, apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z' });

const deployment = (replicas: number, image: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, ...extra }] } },
  },
});

describe('field sets', () => {
  it('writes fieldsV1 in the real notation: k: for map lists, . on owned items with children', () => {
    const fields = toFieldsV1(fieldSetOf(deployment(2, 'nginx'), shape, (p) => p[0] === 'f:apiVersion' || p[0] === 'f:kind' || p[1] === 'f:name'));
    expect(fields).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': { 'f:matchLabels': { 'f:app': {} } },
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });
});

describe('server-side apply', () => {
  it('creates with an Apply entry and merges a second manager by container name', () => {
    const first = applyConfiguration(undefined, deployment(2, 'nginx'), shape, writer('alice'), false);
    expect(first.managedFields.map((e) => [e.manager, e.operation])).toEqual([['alice', 'Apply']]);
    const live = { ...first.object, metadata: { ...first.object.metadata, managedFields: first.managedFields } } as KubeObject;
    const sidecar: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'log', image: 'busybox' }] } } } };
    const second = applyConfiguration(live, sidecar, shape, writer('bob'), false);
    const spec = second.object.spec as { replicas: number; template: { spec: { containers: { name: string }[] } } };
    expect(spec.template.spec.containers.map((c) => c.name)).toEqual(['web', 'log']);
    expect(spec.replicas).toBe(2);
    expect(second.managedFields.map((e) => e.manager)).toEqual(['alice', 'bob']);
  });

  it('refuses to change a field another manager owns, with the real message and causes; force takes it', () => {
    const created = applyConfiguration(undefined, deployment(2, 'nginx'), shape, writer('alice'), false);
    const scaled = { ...created.object, spec: { ...(created.object.spec as object), replicas: 5 } } as KubeObject;
    const afterScale = recordUpdate({ ...created.object, metadata: { ...created.object.metadata, managedFields: created.managedFields } } as KubeObject, scaled, shape, writer('kubectl-client-side-apply'));
    expect(afterScale.find((e) => e.manager === 'kubectl-client-side-apply')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const live = { ...scaled, metadata: { ...scaled.metadata, managedFields: afterScale } } as KubeObject;
    let err: unknown;
    try {
      applyConfiguration(live, deployment(3, 'nginx'), shape, writer('alice'), false);
    } catch (e) {
      err = e;
    }
    const status = (err as StatusError).status;
    expect(status.code).toBe(409);
    expect(status.reason).toBe('Conflict');
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(status.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
    const forced = applyConfiguration(live, deployment(3, 'nginx'), shape, writer('alice'), true);
    expect((forced.object.spec as { replicas: number }).replicas).toBe(3);
    expect(forced.managedFields.map((e) => e.manager)).toEqual(['alice']);
  });

  it('removes a field the manager stopped applying unless someone else owns it', () => {
    const created = applyConfiguration(undefined, deployment(2, 'nginx', { command: ['run'] }), shape, writer('alice'), false);
    const live = { ...created.object, metadata: { ...created.object.metadata, managedFields: created.managedFields } } as KubeObject;
    const next = applyConfiguration(live, deployment(2, 'nginx'), shape, writer('alice'), false);
    const container = (next.object.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]!;
    expect(container).toEqual({ name: 'web', image: 'nginx' });
  });
});
