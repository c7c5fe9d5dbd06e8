import { describe, expect, it } from 'vitest';
import { defineResource } from '../../../../src/kubernetes/apiserver/resource.js';
import { builtinResources } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { buildOpenApiDocuments, documentKey, MissingSchemaError, type OpenApiDocument, type SchemaObject } from '../../../../src/kubernetes/apiserver/openapi/index.js';

const docs = buildOpenApiDocuments(builtinResources);
const doc = (key: string): OpenApiDocument => {
  const d = docs.get(key);
  if (!d) throw new Error(`no document ${key}`);
  return d;
};
const schema = (key: string, name: string): SchemaObject => {
  const s = doc(key).components.schemas[name];
  if (!s) throw new Error(`no schema ${name} in ${key}`);
  return s;
};
const prop = (s: SchemaObject, name: string): SchemaObject => {
  const p = s.properties?.[name];
  if (!p) throw new Error(`no property ${name}`);
  return p;
};

/** Every `$ref` string anywhere in a JSON value. */
function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

describe('OpenAPI v3 documents of the served catalog', () => {
  it('has one document per served group-version', () => {
    const expected = new Set(builtinResources.map((r) => documentKey(r.group, r.version)));
    expect(new Set(docs.keys())).toEqual(expected);
    expect(expected.has('api/v1')).toBe(true);
    expect(expected.has('apis/apps/v1')).toBe(true);
  });

  it('is structurally OpenAPI 3.0: refs resolve, operations have ids (unique) and responses', () => {
    for (const [key, d] of docs) {
      expect(d.openapi).toBe('3.0.0');
      const refs = refsOf(d);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref.startsWith('#/components/schemas/'), `${key}: ${ref}`).toBe(true);
        expect(d.components.schemas[ref.slice('#/components/schemas/'.length)], `${key}: ${ref}`).toBeDefined();
      }
      const ids = new Set<string>();
      for (const [path, item] of Object.entries(d.paths)) {
        for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
          const op = item[method];
          if (!op) continue;
          expect(ids.has(op.operationId), `${path} ${method} ${op.operationId}`).toBe(false);
          ids.add(op.operationId);
          expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        }
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          const params = [...(item.parameters ?? [])].map((p) => p.name);
          expect(params, path).toContain(name.slice(1, -1));
        }
      }
    }
  });

  it('gives every served kind a schema with its GVK and a PATCH with fieldValidation', () => {
    for (const r of builtinResources) {
      const d = doc(documentKey(r.group, r.version));
      const gvk = { group: r.group, kind: r.kind, version: r.version };
      const kinds = Object.values(d.components.schemas).filter((s) => s['x-kubernetes-group-version-kind']?.some((g) => g.group === r.group && g.kind === r.kind && g.version === r.version));
      expect(kinds, `${r.apiVersion} ${r.kind}`).toHaveLength(1);
      expect(kinds[0]?.properties?.apiVersion).toEqual(expect.objectContaining({ type: 'string' }));
      const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
      const item = `${prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
      if (r.verbs.includes('patch')) {
        const patch = d.paths[item]?.patch;
        expect(patch?.['x-kubernetes-group-version-kind'], item).toEqual(gvk);
        expect(patch?.parameters?.map((p) => p.name)).toContain('fieldValidation');
        expect(Object.keys(patch?.requestBody?.content ?? {})).toContain('application/strategic-merge-patch+json');
      }
      const any = Object.values(d.paths).flatMap((p) => [p.get, p.post, p.put, p.patch, p.delete]);
      expect(any.some((op) => op?.['x-kubernetes-group-version-kind']?.kind === r.kind), r.kind).toBe(true);
    }
  });

  it('names components as upstream does and carries formats and int-or-string', () => {
    const pod = schema('api/v1', 'io.k8s.api.core.v1.Pod');
    expect(pod['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(prop(pod, 'metadata').allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    const meta = schema('api/v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(prop(meta, 'generation')).toEqual({ type: 'integer', format: 'int64' });
    expect(schema('api/v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.Time')).toEqual(expect.objectContaining({ type: 'string', format: 'date-time' }));
    expect(prop(schema('api/v1', 'io.k8s.api.core.v1.Secret'), 'data')).toEqual({ type: 'object', additionalProperties: { type: 'string', format: 'byte' } });
    const spec = schema('apis/apps/v1', 'io.k8s.api.apps.v1.DeploymentSpec');
    expect(prop(spec, 'replicas')).toEqual({ type: 'integer', format: 'int32' });
    expect(spec.required).toEqual(['selector', 'template']);
    expect(prop(spec, 'strategy')['x-kubernetes-patch-strategy']).toBe('retainKeys');
    expect(schema('apis/apps/v1', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString')['x-kubernetes-int-or-string']).toBe(true);
    // An optional field written without omitempty is not required.
    expect(schema('apis/apps/v1', 'io.k8s.api.apps.v1.StatefulSetSpec').required).toEqual(['selector', 'template']);
  });

  it('carries patch strategies and list topology where the real schema has them', () => {
    const podSpec = schema('api/v1', 'io.k8s.api.core.v1.PodSpec');
    expect(podSpec.required).toEqual(['containers']);
    const containers = prop(podSpec, 'containers');
    expect(containers).toEqual(expect.objectContaining({
      type: 'array',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }));
    expect(prop(podSpec, 'volumes')['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
    const ports = prop(schema('api/v1', 'io.k8s.api.core.v1.Container'), 'ports');
    expect(ports['x-kubernetes-patch-merge-key']).toBe('containerPort');
    expect(ports['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    // Inline structs are flattened, their fields keep the facts of the declaring struct.
    const ephemeral = schema('api/v1', 'io.k8s.api.core.v1.EphemeralContainer');
    expect(prop(ephemeral, 'env')['x-kubernetes-patch-merge-key']).toBe('name');
    expect(prop(ephemeral, 'targetContainerName')).toEqual({ type: 'string' });
    expect(doc('api/v1').components.schemas['io.k8s.api.core.v1.EphemeralContainerCommon']).toBeUndefined();
    expect(prop(schema('api/v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), 'finalizers')['x-kubernetes-list-type']).toBe('set');
  });

  it('describes list kinds and the scale subresource', () => {
    const list = schema('apis/apps/v1', 'io.k8s.api.apps.v1.DeploymentList');
    expect(list['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
    expect(prop(list, 'items').items).toEqual({ $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' });
    const scale = doc('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect(scale?.patch?.['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', kind: 'Scale', version: 'v1' });
    expect(doc('api/v1').paths['/api/v1/pods']?.get?.operationId).toBe('listCoreV1PodForAllNamespaces');
  });

  it('refuses a served kind without a descriptor instead of publishing a partial document', () => {
    const widget = defineResource({ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', singular: 'widget', namespaced: true });
    expect(() => buildOpenApiDocuments([...builtinResources, widget])).toThrow(MissingSchemaError);
    expect(() => buildOpenApiDocuments([widget])).toThrow(/example\.com\/v1 Widget/);
  });
});
