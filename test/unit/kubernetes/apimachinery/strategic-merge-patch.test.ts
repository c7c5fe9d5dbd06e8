import { describe, expect, it } from 'vitest';
import { isKosError } from '../../../../src/core/errors.js';
import type { KosError } from '../../../../src/core/errors.js';
import {
  applyStrategicMergePatch,
  patchMetaByPath,
  patchMetaFor,
  statusHintOf,
} from '../../../../src/kubernetes/apimachinery/index.js';
import type { GroupVersionKind, JsonMap } from '../../../../src/kubernetes/apimachinery/index.js';

const deploymentKind: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'Deployment' };
const podKind: GroupVersionKind = { group: '', version: 'v1', kind: 'Pod' };
const serviceKind: GroupVersionKind = { group: '', version: 'v1', kind: 'Service' };
const widgetKind: GroupVersionKind = { group: 'example.com', version: 'v1', kind: 'Widget' };

const podWith = (spec: JsonMap, metadata: JsonMap = { name: 'p' }): JsonMap => ({ metadata, spec });
const containers = (doc: JsonMap): unknown => (doc['spec'] as JsonMap)['containers'];
const podPatch = (doc: JsonMap, patch: unknown): JsonMap => applyStrategicMergePatch(doc, patch, patchMetaFor(podKind));

function kosErrorOf(fn: () => unknown): KosError {
  try {
    fn();
  } catch (e) {
    if (isKosError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const twoContainers = (): JsonMap =>
  podWith({
    containers: [
      {
        name: 'app',
        image: 'nginx:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [
          { containerPort: 80, protocol: 'TCP' },
          { containerPort: 443, protocol: 'TCP' },
        ],
      },
      { name: 'side', image: 'busybox' },
    ],
    tolerations: [{ key: 'a', operator: 'Exists' }],
  });

describe('strategic merge patch on built-in kinds', () => {
  it('merges containers by name and changes only the named one', () => {
    const out = podPatch(twoContainers(), { spec: { containers: [{ name: 'side', image: 'busybox:2' }] } });
    const list = containers(out) as JsonMap[];
    expect(list.map((c) => [c['name'], c['image']])).toEqual([
      ['app', 'nginx:1'],
      ['side', 'busybox:2'],
    ]);
    expect(list[0]?.['env']).toHaveLength(2);
  });

  it('deletes a container with $patch: delete', () => {
    const out = podPatch(twoContainers(), { spec: { containers: [{ name: 'app', $patch: 'delete' }] } });
    expect(containers(out)).toEqual([{ name: 'side', image: 'busybox' }]);
  });

  it('reorders containers with $setElementOrder and keeps their contents', () => {
    const out = podPatch(twoContainers(), {
      spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }] },
    });
    expect((containers(out) as JsonMap[]).map((c) => c['name'])).toEqual(['side', 'app']);
    expect((containers(out) as JsonMap[])[1]?.['ports']).toHaveLength(2);
  });

  it('merges env by name, deletes with null members, and replaces the list with $patch: replace', () => {
    const merged = podPatch(twoContainers(), {
      spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '20' }, { name: 'C', value: '3' }] }] },
    });
    expect((containers(merged) as JsonMap[])[0]?.['env']).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '20' },
      { name: 'C', value: '3' },
    ]);
    const replaced = podPatch(twoContainers(), {
      spec: { containers: [{ name: 'app', env: [{ $patch: 'replace' }, { name: 'Z', value: '26' }] }] },
    });
    expect((containers(replaced) as JsonMap[])[0]?.['env']).toEqual([{ name: 'Z', value: '26' }]);
  });

  it('merges container ports by containerPort', () => {
    const out = podPatch(twoContainers(), {
      spec: { containers: [{ name: 'app', ports: [{ containerPort: 443, name: 'https' }, { containerPort: 8080 }] }] },
    });
    expect((containers(out) as JsonMap[])[0]?.['ports']).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 443, protocol: 'TCP', name: 'https' },
      { containerPort: 8080 },
    ]);
  });

  it('puts an item new to the server first, as the server does without $setElementOrder', () => {
    const out = podPatch(twoContainers(), { spec: { containers: [{ name: 'new', image: 'x' }] } });
    expect((containers(out) as JsonMap[]).map((c) => c['name'])).toEqual(['new', 'app', 'side']);
  });

  it('places server-only items after the ordered ones, by their current order', () => {
    const doc = podWith({ containers: ['1', '3', '4', '2', '9'].map((name) => ({ name })) });
    const out = podPatch(doc, { spec: { '$setElementOrder/containers': ['4', '2', '3', '1'].map((name) => ({ name })) } });
    expect((containers(out) as JsonMap[]).map((c) => c['name'])).toEqual(['4', '2', '3', '1', '9']);
  });

  it('replaces atomic lists (tolerations, envFrom) whole', () => {
    const out = podPatch(twoContainers(), { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } });
    expect((out['spec'] as JsonMap)['tolerations']).toEqual([{ key: 'b', operator: 'Exists' }]);
    const doc = podWith({ containers: [{ name: 'app', envFrom: [{ configMapRef: { name: 'a' } }] }] });
    const next = podPatch(doc, { spec: { containers: [{ name: 'app', envFrom: [{ secretRef: { name: 's' } }] }] } });
    expect((containers(next) as JsonMap[])[0]?.['envFrom']).toEqual([{ secretRef: { name: 's' } }]);
  });

  it('merges finalizers as a set and removes with $deleteFromPrimitiveList', () => {
    const doc = podWith({}, { name: 'p', finalizers: ['a', 'b'] });
    expect((podPatch(doc, { metadata: { finalizers: ['b', 'c'] } })['metadata'] as JsonMap)['finalizers']).toEqual(['a', 'b', 'c']);
    const removed = podPatch(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'zzz'] } });
    expect((removed['metadata'] as JsonMap)['finalizers']).toEqual(['b']);
    const none = podPatch(podWith({}), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
    expect(none['metadata']).toEqual({ name: 'p' });
  });

  it('deletes keys with null, replaces maps with $patch: replace and empties them with $patch: delete', () => {
    const doc = podWith({ nodeSelector: { a: '1', b: '2' } }, { name: 'p', labels: { x: '1', y: '2' } });
    expect(podPatch(doc, { metadata: { labels: { x: null } } })['metadata']).toEqual({ name: 'p', labels: { y: '2' } });
    expect(podPatch(doc, { metadata: { labels: { $patch: 'replace', z: '3' } } })['metadata']).toEqual({
      name: 'p',
      labels: { z: '3' },
    });
    expect((podPatch(doc, { spec: { nodeSelector: { $patch: 'delete' } } })['spec'] as JsonMap)['nodeSelector']).toEqual({});
    expect(podPatch(doc, { spec: { nodeSelector: null, absent: null } })['spec']).toEqual({});
  });

  it('keeps only $retainKeys on a deployment strategy switch', () => {
    const doc: JsonMap = {
      metadata: { name: 'd' },
      spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
    };
    const out = applyStrategicMergePatch(
      doc,
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      patchMetaFor(deploymentKind),
    );
    expect(out['spec']).toEqual({ strategy: { type: 'Recreate' } });
  });

  it('merges service ports by port', () => {
    const doc: JsonMap = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const out = applyStrategicMergePatch(doc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, patchMetaFor(serviceKind));
    expect(out['spec']).toEqual({ ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] });
  });

  it('reaches the pod template inside a deployment', () => {
    const doc: JsonMap = {
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] } } },
    };
    const out = applyStrategicMergePatch(
      doc,
      { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } },
      patchMetaFor(deploymentKind),
    );
    expect(out).toEqual({
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] } } },
    });
  });

  it('leaves its arguments untouched', () => {
    const doc = twoContainers();
    const patch = { spec: { containers: [{ name: 'app', $patch: 'delete' }] } };
    const before = structuredClone({ doc, patch });
    podPatch(doc, patch);
    expect({ doc, patch }).toEqual(before);
  });
});

describe('strategic merge patch on custom resources', () => {
  it('merges maps and replaces lists, like a JSON merge patch', () => {
    const doc: JsonMap = { metadata: { name: 'w', finalizers: ['a'] }, spec: { items: [{ name: 'x' }], size: { w: 1, h: 2 } } };
    const out = applyStrategicMergePatch(
      doc,
      { metadata: { finalizers: ['b'] }, spec: { items: [{ name: 'y' }], size: { h: 3 } } },
      patchMetaFor(widgetKind),
    );
    expect(out).toEqual({ metadata: { name: 'w', finalizers: ['b'] }, spec: { items: [{ name: 'y' }], size: { w: 1, h: 3 } } });
  });
});

describe('strategic merge patch errors', () => {
  it.each([
    [{ spec: { containers: [{ image: 'x' }] } }, 400, 'map: map[image:x] does not contain declared merge key: name'],
    [{ spec: { $patch: 'merge' } }, 400, 'unknown patch type: merge in map: map[$patch:merge]'],
    [{ spec: { containers: [{ name: 'app', $patch: 'merge' }] } }, 400, 'merging lists cannot yet be specified in the patch'],
    [{ spec: { $retainKeys: 'containers' } }, 400, 'invalid patch format of retainKeys'],
    [{ spec: { $retainKeys: ['volumes'], containers: [] } }, 400, 'invalid patch format of retainKeys'],
    [{ metadata: { '$deleteFromPrimitiveListfinalizers': ['a'] } }, 400, 'invalid patch format of primitive list'],
    [
      { spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'side', image: 'y' }] } },
      400,
      "The order in patch list:\n[map[image:y name:side]]\n doesn't match $setElementOrder list:\n[map[name:app]]\n",
    ],
    [{ metadata: { finalizers: [['a']] } }, 422, 'lists of lists are not supported'],
    [{ spec: { containers: ['app'] } }, 400, 'list element types are not identical: [[map[env:[map[name:A value:1] map[name:B value:2]] image:nginx:1 name:app ports:[map[containerPort:80 protocol:TCP] map[containerPort:443 protocol:TCP]]] map[image:busybox name:side]] [app]]'],
    [['not', 'a', 'map'], 400, 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
  ])('%j is refused with %i', (patch, status, message) => {
    const doc = twoContainers();
    (doc['metadata'] as JsonMap)['finalizers'] = [];
    const err = kosErrorOf(() => podPatch(doc, patch));
    const code = statusHintOf(err)?.code ?? err.status;
    expect(code).toBe(status);
    expect(status === 422 ? err.details?.['detail'] : err.message).toBe(message);
  });
});

describe('patchMetaFor', () => {
  it('lists the merge keys of a deployment by JSON path', () => {
    const paths = patchMetaByPath(patchMetaFor(deploymentKind));
    expect(paths['spec.template.spec.containers']).toEqual({ strategy: 'merge', mergeKey: 'name', retainKeys: false });
    expect(paths['spec.template.spec.containers.ports']).toEqual({ strategy: 'merge', mergeKey: 'containerPort', retainKeys: false });
    expect(paths['spec.template.spec.containers.volumeMounts']?.mergeKey).toBe('mountPath');
    expect(paths['spec.template.spec.containers.volumeDevices']?.mergeKey).toBe('devicePath');
    expect(paths['spec.template.spec.volumes']).toEqual({ strategy: 'merge', mergeKey: 'name', retainKeys: true });
    expect(paths['spec.template.spec.hostAliases']?.mergeKey).toBe('ip');
    expect(paths['spec.template.spec.topologySpreadConstraints']?.mergeKey).toBe('topologyKey');
    expect(paths['spec.template.metadata.ownerReferences']?.mergeKey).toBe('uid');
    expect(paths['spec.strategy']).toEqual({ strategy: undefined, mergeKey: undefined, retainKeys: true });
    expect(paths['status.conditions']?.mergeKey).toBe('type');
    expect(paths['metadata.finalizers']).toEqual({ strategy: 'merge', mergeKey: undefined, retainKeys: false });
    expect(paths['spec.template.spec.tolerations']).toBeUndefined();
    expect(paths['spec.template.spec.containers.envFrom']).toBeUndefined();
  });

  it('gives other built-in kinds ObjectMeta and custom resources nothing', () => {
    expect(Object.keys(patchMetaByPath(patchMetaFor({ group: '', version: 'v1', kind: 'ConfigMap' })))).toEqual([
      'metadata.finalizers',
      'metadata.ownerReferences',
    ]);
    expect(patchMetaByPath(patchMetaFor(widgetKind))).toEqual({});
  });
});
