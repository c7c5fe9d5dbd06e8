import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/core/log.js';
import { ResourceCatalog } from '../../../../src/kubernetes/apiserver/catalog.js';
import { startCrdController, type CrdController } from '../../../../src/kubernetes/apiserver/crd/index.js';
import { buildOpenApiDocuments } from '../../../../src/kubernetes/apiserver/openapi/index.js';
import { builtinResources } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { customresourcedefinitions as crds } from '../../../../src/kubernetes/apiserver/resources/customresourcedefinitions.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { statusOf, world, type World } from '../apiserver/world.js';

let w: World;
let catalog: ResourceCatalog;
let controller: CrdController;

beforeEach(async () => {
  w = await world();
  catalog = new ResourceCatalog(builtinResources);
  controller = startCrdController({ registry: w.registry, catalog, log: silentLogger() });
  await controller.ready;
});
afterEach(async () => {
  await controller.stop();
  await w.close();
});

const widgetSchema = { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 1 } } } } };

function widgetCrd(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Cluster',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: widgetSchema } },
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: widgetSchema } },
      ],
      ...overrides,
    },
  };
}

async function until<T>(read: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition never met');
}

const condition = (obj: KubeObject, type: string): unknown =>
  ((obj.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).find((c) => c.type === type)?.status;

describe('CRD validation', () => {
  it('refuses a name that is not plural.group, a second storage version and a missing schema', async () => {
    const bad = widgetCrd({
      versions: [
        { name: 'v1', served: true, storage: true },
        { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { properties: { spec: { type: 'object' } } } } },
      ],
    });
    (bad.metadata as Record<string, string>).name = 'widgets';
    const status = await statusOf(w.registry.create(crds, undefined, bad));
    expect(status.code).toBe(422);
    expect(status.details?.causes?.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'metadata.name: Invalid value: "widgets": must be spec.names.plural+"."+spec.group',
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
      'spec.versions[1].schema.openAPIV3Schema.type: Required value: must not be empty at the root',
      'spec.versions: Invalid value: ["v1","v2"]: must have exactly one version marked as storage version',
    ]);
  });

  it('refuses a default that does not validate against its own schema', async () => {
    const bad = widgetCrd({
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { size: { type: 'integer', minimum: 1, default: 0 } } } } }],
    });
    const status = await statusOf(w.registry.create(crds, undefined, bad));
    expect(status.details?.causes?.map((c) => c.field)).toEqual(['spec.versions[0].schema.openAPIV3Schema.properties[size].default']);
  });

  it('answers malformed definitions with a Status, never a crash', async () => {
    const junk: unknown[] = [null, 7, 'x', [], { a: 1 }, { type: 5 }, { type: 'array' }, { properties: 3 }];
    const bodies = junk.flatMap((j) => [
      widgetCrd({ versions: j }),
      widgetCrd({ names: j }),
      widgetCrd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: j } }] }),
      widgetCrd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: j } } }, subresources: { scale: j } }] }),
      { metadata: { name: 'junk.example.com' }, spec: j },
    ]);
    for (const body of bodies) {
      const status = await statusOf(w.registry.create(crds, undefined, body));
      expect([400, 422]).toContain(status.code);
    }
  });

  it('defaults singular and listKind', async () => {
    const created = await w.registry.create(crds, undefined, widgetCrd());
    expect((created.spec as { names: unknown }).names).toEqual({ plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
  });
});

describe('the CRD controller', () => {
  it('serves every served version and reports Established with the accepted names', async () => {
    await w.registry.create(crds, undefined, widgetCrd());
    const established = await until(async () => {
      const obj = await w.registry.get(crds, undefined, 'widgets.example.com');
      return condition(obj, 'Established') === 'True' ? obj : undefined;
    });
    expect(condition(established, 'NamesAccepted')).toBe('True');
    expect(established.status).toMatchObject({
      acceptedNames: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      storedVersions: ['v1'],
    });
    // v1 is listed after v1beta1 in the CRD yet preferred, as its priority is higher.
    expect(catalog.groups().find((g) => g.name === 'example.com')?.versions).toEqual(['v1', 'v1beta1']);
    const v1 = catalog.find('example.com', 'v1', 'widgets')!;
    const beta = catalog.find('example.com', 'v1beta1', 'widgets')!;
    expect(v1.namespaced).toBe(false);
    // A v1beta1 object is stored as v1 (conversion None) and read back in either version.
    const created = await w.registry.create(beta, undefined, { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w' }, spec: {} });
    expect(created).toMatchObject({ apiVersion: 'example.com/v1beta1', spec: { size: 1 } });
    expect(await w.registry.get(v1, undefined, 'w')).toMatchObject({ apiVersion: 'example.com/v1', spec: { size: 1 } });
    const invalid = await statusOf(w.registry.create(v1, undefined, { metadata: { name: 'x' }, spec: { size: 'big' } }));
    expect(invalid.message).toBe('Widget.example.com "x" is invalid: spec.size: Invalid value: "big": spec.size in body must be of type integer: "string"');
  });

  it('publishes the custom schema in the OpenAPI document of its group-version', async () => {
    await w.registry.create(crds, undefined, widgetCrd());
    await until(() => catalog.find('example.com', 'v1', 'widgets'));
    const doc = buildOpenApiDocuments(catalog.resources).get('apis/example.com/v1')!;
    const schema = doc.components.schemas['com.example.v1.Widget']!;
    expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: 'example.com', kind: 'Widget', version: 'v1' }]);
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(doc.paths['/apis/example.com/v1/widgets/{name}']?.patch).toBeDefined();
  });

  it('refuses names another definition already serves', async () => {
    await w.registry.create(crds, undefined, widgetCrd());
    await until(() => catalog.find('example.com', 'v1', 'widgets'));
    await w.registry.create(crds, undefined, { ...widgetCrd(), metadata: { name: 'gadgets.example.com' }, spec: { ...(widgetCrd().spec as object), names: { plural: 'gadgets', kind: 'Widget' } } });
    const refused = await until(async () => {
      const obj = await w.registry.get(crds, undefined, 'gadgets.example.com');
      return condition(obj, 'NamesAccepted') === 'False' ? obj : undefined;
    });
    expect(condition(refused, 'Established')).toBe('False');
    expect(catalog.find('example.com', 'v1', 'gadgets')).toBeUndefined();
  });

  it('stops serving and deletes the objects when the CRD is deleted', async () => {
    await w.registry.create(crds, undefined, widgetCrd());
    const v1 = await until(() => catalog.find('example.com', 'v1', 'widgets'));
    await w.registry.create(v1, undefined, { metadata: { name: 'w' }, spec: {} });
    await w.registry.delete(crds, undefined, 'widgets.example.com');
    await until(() => (catalog.find('example.com', 'v1', 'widgets') ? undefined : true));
    await until(async () => ((await w.store.range('/kubernetes/test/example.com/widgets/')).kvs.length === 0 ? true : undefined));
    expect(catalog.hasGroupVersion({ group: 'example.com', version: 'v1' })).toBe(false);
  });

  it('serves definitions that were stored before it started', async () => {
    await controller.stop();
    await w.registry.create(crds, undefined, widgetCrd());
    const fresh = new ResourceCatalog(builtinResources);
    controller = startCrdController({ registry: w.registry, catalog: fresh, log: silentLogger() });
    await controller.ready;
    expect(fresh.find('example.com', 'v1', 'widgets')?.kind).toBe('Widget');
  });
});
