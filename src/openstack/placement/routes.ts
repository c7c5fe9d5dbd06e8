/**
 * Placement's HTTP surface under /placement: the root version document, then every
 * route behind a token, the admin-only policy and microversion negotiation. Handlers
 * read the wire (which changes shape with the microversion) and call PlacementService.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KosError } from '../../core/errors.js';
import { contextOf, requireToken, type TokenValidator } from '../common/auth.js';
import { PolicyEngine, isAdmin } from '../common/policy.js';
import { allocationCandidates } from './candidates.js';
import type { Inventory, Resources } from './model.js';
import { maxString, minString, negotiate } from './microversion.js';
import { inTree, memberOfMatch, parseResources, parseTraits, traitsMatch } from './query.js';
import { fits, usageByProvider } from './capacity.js';
import type { AllocationRequest, PlacementService } from './service.js';
import { consumerAllocationsView, providerView, resourceClassView } from './views.js';

type Json = Record<string, unknown>;

declare module 'fastify' {
  interface FastifyRequest {
    placementVersion?: number;
  }
}

/** Zed's default: Placement is an admin (and service) API. */
const policy = new PolicyEngine({ 'placement:admin_api': isAdmin });

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const param = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name] ?? '';
const query = (req: FastifyRequest): Record<string, string | string[]> => (req.query ?? {}) as Record<string, string | string[]>;
const one = (req: FastifyRequest, name: string): string | undefined => {
  const v = query(req)[name];
  return Array.isArray(v) ? v[0] : v;
};
const many = (req: FastifyRequest, name: string): string[] => {
  const v = query(req)[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
const mvOf = (req: FastifyRequest): number => req.placementVersion ?? 0;

function body(req: FastifyRequest): Json {
  if (!isObject(req.body)) throw new KosError('BadRequest', 'Malformed JSON: the request body must be an object.');
  return req.body;
}

/** A route that exists from microversion 1.`minor` on answers 404 below it, as Placement does. */
function since(req: FastifyRequest, minor: number): void {
  if (mvOf(req) < minor) throw new KosError('NotFound', 'The resource could not be found.');
}

function generationOf(b: Json, required: boolean): number | undefined {
  const g = b.resource_provider_generation;
  if (g === undefined && !required) return undefined;
  if (typeof g !== 'number' || !Number.isInteger(g)) {
    throw new KosError('BadRequest', "JSON does not validate: 'resource_provider_generation' is a required property");
  }
  return g;
}

function stringList(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new KosError('BadRequest', `JSON does not validate: '${field}' must be an array of strings`);
  }
  return v as string[];
}

function resourcesOf(v: unknown): Resources {
  if (!isObject(v)) throw new KosError('BadRequest', "JSON does not validate: 'resources' is a required property");
  const out: Resources = {};
  for (const [rc, n] of Object.entries(v)) {
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new KosError('BadRequest', `JSON does not validate: ${JSON.stringify(n)} is not of type 'integer'`);
    out[rc] = n;
  }
  return out;
}

/** The allocations of one consumer in the body's shape for the microversion. */
function allocationRequest(consumer: string, b: Json, mv: number, ctxProject: string, ctxUser: string): AllocationRequest {
  const allocations: Record<string, Resources> = {};
  if (mv < 12) {
    if (!Array.isArray(b.allocations)) throw new KosError('BadRequest', "JSON does not validate: 'allocations' is a required property");
    for (const a of b.allocations) {
      const uuid = isObject(a) && isObject(a.resource_provider) ? a.resource_provider.uuid : undefined;
      if (typeof uuid !== 'string' || !isObject(a)) throw new KosError('BadRequest', "JSON does not validate: 'resource_provider' is a required property");
      allocations[uuid] = resourcesOf(a.resources);
    }
  } else {
    if (!isObject(b.allocations)) throw new KosError('BadRequest', "JSON does not validate: 'allocations' is a required property");
    for (const [rp, a] of Object.entries(b.allocations)) allocations[rp] = resourcesOf(isObject(a) ? a.resources : undefined);
  }
  if (mv >= 8 && (typeof b.project_id !== 'string' || typeof b.user_id !== 'string')) {
    throw new KosError('BadRequest', "JSON does not validate: 'project_id' and 'user_id' are required properties");
  }
  const req: AllocationRequest = {
    consumer,
    allocations,
    project_id: typeof b.project_id === 'string' ? b.project_id : ctxProject,
    user_id: typeof b.user_id === 'string' ? b.user_id : ctxUser,
  };
  if (mv >= 28) {
    if (!('consumer_generation' in b)) throw new KosError('BadRequest', "JSON does not validate: 'consumer_generation' is a required property");
    const g = b.consumer_generation;
    if (g !== null && (typeof g !== 'number' || !Number.isInteger(g))) throw new KosError('BadRequest', 'JSON does not validate: consumer_generation must be an integer or null');
    req.consumer_generation = g;
  }
  if (mv >= 38) {
    if (typeof b.consumer_type !== 'string') throw new KosError('BadRequest', "JSON does not validate: 'consumer_type' is a required property");
    req.consumer_type = b.consumer_type;
  }
  return req;
}

export function registerPlacementRoutes(app: FastifyInstance, svc: PlacementService, tokens: TokenValidator): void {
  app.get('/', async () => ({
    versions: [{ id: 'v1.0', max_version: maxString, min_version: minString, status: 'CURRENT', links: [{ rel: 'self', href: '' }] }],
  }));

  const authenticate = requireToken(tokens);
  const opts = {
    preHandler: async (req: FastifyRequest, reply: FastifyReply) => {
      await authenticate(req, reply);
      policy.enforce('placement:admin_api', contextOf(req).auth);
      req.placementVersion = negotiate(req.headers['openstack-api-version']);
      void reply.header('openstack-api-version', `placement 1.${req.placementVersion}`).header('vary', 'openstack-api-version');
    },
  };
  const inventoriesBody = (rpId: string) => {
    const rp = svc.provider(rpId);
    return { resource_provider_generation: rp.generation, inventories: rp.inventories };
  };

  // ---- resource providers ----
  app.get('/resource_providers', opts, async (req) => {
    const mv = mvOf(req);
    const name = one(req, 'name');
    const uuid = one(req, 'uuid');
    const memberOf = mv >= 3 ? many(req, 'member_of') : [];
    const resources = mv >= 4 && one(req, 'resources') !== undefined ? parseResources(one(req, 'resources')!) : undefined;
    const tree = mv >= 14 ? one(req, 'in_tree') : undefined;
    const required = mv >= 18 && many(req, 'required').length > 0 ? parseTraits(many(req, 'required')) : undefined;
    const usage = resources ? usageByProvider(svc.repo.consumers.list()) : undefined;
    const treeRoot = tree === undefined ? undefined : svc.provider(tree).root_provider_uuid;
    const list = svc.providers().filter((rp) =>
      (name === undefined || rp.name === name) &&
      (uuid === undefined || rp.id === uuid) &&
      memberOfMatch(rp.aggregates, memberOf) &&
      inTree(rp, treeRoot) &&
      (!required || traitsMatch(rp.traits, required)) &&
      (!resources || fits(rp, resources, usage?.get(rp.id) ?? {})),
    );
    return { resource_providers: list.map((rp) => providerView(rp, mv)) };
  });

  app.post('/resource_providers', opts, async (req, reply) => {
    const b = body(req);
    const mv = mvOf(req);
    if (typeof b.name !== 'string') throw new KosError('BadRequest', "JSON does not validate: 'name' is a required property");
    const rp = await svc.createProvider({
      name: b.name,
      ...(typeof b.uuid === 'string' ? { uuid: b.uuid } : {}),
      ...(mv >= 14 && (typeof b.parent_provider_uuid === 'string' || b.parent_provider_uuid === null) ? { parent_provider_uuid: b.parent_provider_uuid } : {}),
    });
    void reply.header('location', `/placement/resource_providers/${rp.id}`);
    if (mv >= 20) return reply.code(200).send(providerView(rp, mv));
    return reply.code(201).send();
  });

  app.get('/resource_providers/:uuid', opts, async (req) => providerView(svc.provider(param(req, 'uuid')), mvOf(req)));

  app.put('/resource_providers/:uuid', opts, async (req) => {
    const b = body(req);
    if (typeof b.name !== 'string') throw new KosError('BadRequest', "JSON does not validate: 'name' is a required property");
    const parent = mvOf(req) >= 14 && 'parent_provider_uuid' in b ? (b.parent_provider_uuid as string | null) : undefined;
    const rp = await svc.updateProvider(param(req, 'uuid'), { name: b.name, ...(parent !== undefined ? { parent_provider_uuid: parent } : {}) });
    return providerView(rp, mvOf(req));
  });

  app.delete('/resource_providers/:uuid', opts, async (req, reply) => {
    await svc.deleteProvider(param(req, 'uuid'));
    return reply.code(204).send();
  });

  // ---- inventories ----
  app.get('/resource_providers/:uuid/inventories', opts, async (req) => inventoriesBody(param(req, 'uuid')));

  app.put('/resource_providers/:uuid/inventories', opts, async (req) => {
    const b = body(req);
    const seen = generationOf(b, true);
    if (!isObject(b.inventories)) throw new KosError('BadRequest', "JSON does not validate: 'inventories' is a required property");
    const inventories: Record<string, Inventory> = {};
    for (const [rc, inv] of Object.entries(b.inventories)) inventories[rc] = svc.checkInventory(rc, isObject(inv) ? inv : {});
    await svc.setInventories(param(req, 'uuid'), seen, inventories);
    return inventoriesBody(param(req, 'uuid'));
  });

  app.delete('/resource_providers/:uuid/inventories', opts, async (req, reply) => {
    since(req, 5);
    await svc.setInventories(param(req, 'uuid'), undefined, {});
    return reply.code(204).send();
  });

  app.post('/resource_providers/:uuid/inventories', opts, async (req, reply) => {
    const b = body(req);
    const seen = generationOf(b, true);
    const rc = b.resource_class;
    if (typeof rc !== 'string') throw new KosError('BadRequest', "JSON does not validate: 'resource_class' is a required property");
    const { resource_class: _rc, resource_provider_generation: _g, ...fields } = b;
    if (svc.provider(param(req, 'uuid')).inventories[rc]) {
      throw new KosError('Conflict', `Inventory for ${rc} on resource provider ${param(req, 'uuid')} already exists.`);
    }
    const rp = await svc.setInventory(param(req, 'uuid'), seen, rc, svc.checkInventory(rc, fields));
    return reply.code(201).header('location', `/placement/resource_providers/${rp.id}/inventories/${rc}`)
      .send({ resource_provider_generation: rp.generation, ...rp.inventories[rc] });
  });

  app.get('/resource_providers/:uuid/inventories/:rc', opts, async (req) => {
    const rp = svc.provider(param(req, 'uuid'));
    const inv = rp.inventories[param(req, 'rc')];
    if (!inv) throw new KosError('NotFound', `No inventory of class ${param(req, 'rc')} for ${rp.id}`);
    return { resource_provider_generation: rp.generation, ...inv };
  });

  app.put('/resource_providers/:uuid/inventories/:rc', opts, async (req) => {
    const b = body(req);
    const seen = generationOf(b, true);
    const rc = param(req, 'rc');
    const { resource_provider_generation: _g, ...fields } = b;
    const rp = await svc.setInventory(param(req, 'uuid'), seen, rc, svc.checkInventory(rc, fields));
    return { resource_provider_generation: rp.generation, ...rp.inventories[rc] };
  });

  app.delete('/resource_providers/:uuid/inventories/:rc', opts, async (req, reply) => {
    await svc.setInventory(param(req, 'uuid'), undefined, param(req, 'rc'), undefined);
    return reply.code(204).send();
  });

  // ---- aggregates, traits, usages, allocations of a provider ----
  app.get('/resource_providers/:uuid/aggregates', opts, async (req) => {
    since(req, 1);
    const rp = svc.provider(param(req, 'uuid'));
    return { aggregates: rp.aggregates, ...(mvOf(req) >= 19 ? { resource_provider_generation: rp.generation } : {}) };
  });

  app.put('/resource_providers/:uuid/aggregates', opts, async (req) => {
    since(req, 1);
    const mv = mvOf(req);
    let rp;
    if (mv >= 19) {
      const b = body(req);
      rp = await svc.setProviderAggregates(param(req, 'uuid'), generationOf(b, true), stringList(b.aggregates, 'aggregates'));
    } else {
      rp = await svc.setProviderAggregates(param(req, 'uuid'), undefined, stringList(req.body, 'aggregates'));
    }
    return { aggregates: rp.aggregates, ...(mv >= 19 ? { resource_provider_generation: rp.generation } : {}) };
  });

  app.get('/resource_providers/:uuid/traits', opts, async (req) => {
    since(req, 6);
    const rp = svc.provider(param(req, 'uuid'));
    return { traits: rp.traits, resource_provider_generation: rp.generation };
  });

  app.put('/resource_providers/:uuid/traits', opts, async (req) => {
    since(req, 6);
    const b = body(req);
    const rp = await svc.setProviderTraits(param(req, 'uuid'), generationOf(b, true), stringList(b.traits, 'traits'));
    return { traits: rp.traits, resource_provider_generation: rp.generation };
  });

  app.delete('/resource_providers/:uuid/traits', opts, async (req, reply) => {
    since(req, 6);
    await svc.setProviderTraits(param(req, 'uuid'), undefined, []);
    return reply.code(204).send();
  });

  app.get('/resource_providers/:uuid/usages', opts, async (req) => {
    const rp = svc.provider(param(req, 'uuid'));
    const used = svc.usage(rp.id);
    const usages: Resources = {};
    for (const rc of Object.keys(rp.inventories)) usages[rc] = used[rc] ?? 0;
    return { resource_provider_generation: rp.generation, usages };
  });

  app.get('/resource_providers/:uuid/allocations', opts, async (req) => {
    since(req, 0);
    const rp = svc.provider(param(req, 'uuid'));
    const allocations: Json = {};
    for (const c of svc.repo.consumers.byIndex('provider', rp.id)) allocations[c.id] = { resources: c.allocations[rp.id] };
    return { resource_provider_generation: rp.generation, allocations };
  });

  // ---- resource classes ----
  app.get('/resource_classes', opts, async (req) => {
    since(req, 2);
    return { resource_classes: svc.resourceClassNames().map(resourceClassView) };
  });
  app.post('/resource_classes', opts, async (req, reply) => {
    since(req, 2);
    const name = body(req).name;
    if (typeof name !== 'string') throw new KosError('BadRequest', "JSON does not validate: 'name' is a required property");
    await svc.ensureResourceClass(name, true);
    return reply.code(201).header('location', `/placement/resource_classes/${name}`).send();
  });
  app.get('/resource_classes/:name', opts, async (req) => {
    since(req, 2);
    if (!svc.hasResourceClass(param(req, 'name'))) throw new KosError('NotFound', `No such resource class ${param(req, 'name')}.`);
    return resourceClassView(param(req, 'name'));
  });
  app.put('/resource_classes/:name', opts, async (req, reply) => {
    since(req, 7);
    const created = await svc.ensureResourceClass(param(req, 'name'), false);
    return reply.code(created ? 201 : 204).header('location', `/placement/resource_classes/${param(req, 'name')}`).send();
  });
  app.delete('/resource_classes/:name', opts, async (req, reply) => {
    since(req, 2);
    await svc.deleteResourceClass(param(req, 'name'));
    return reply.code(204).send();
  });

  // ---- traits ----
  app.get('/traits', opts, async (req) => {
    since(req, 6);
    const filter = one(req, 'name');
    const associated = one(req, 'associated');
    let names = svc.traitNames();
    if (filter?.startsWith('startswith:')) names = names.filter((n) => n.startsWith(filter.slice(11)));
    else if (filter?.startsWith('in:')) {
      const wanted = new Set(filter.slice(3).split(','));
      names = names.filter((n) => wanted.has(n));
    } else if (filter !== undefined) throw new KosError('BadRequest', `Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: "${filter}"`);
    if (associated !== undefined) {
      const used = new Set(svc.providers().flatMap((rp) => rp.traits));
      names = names.filter((n) => used.has(n) === (associated !== 'false'));
    }
    return { traits: names };
  });
  app.get('/traits/:name', opts, async (req, reply) => {
    since(req, 6);
    svc.requireTrait(param(req, 'name'), 'NotFound');
    return reply.code(204).send();
  });
  app.put('/traits/:name', opts, async (req, reply) => {
    since(req, 6);
    const created = await svc.ensureTrait(param(req, 'name'));
    return reply.code(created ? 201 : 204).header('location', `/placement/traits/${param(req, 'name')}`).send();
  });
  app.delete('/traits/:name', opts, async (req, reply) => {
    since(req, 6);
    await svc.deleteTrait(param(req, 'name'));
    return reply.code(204).send();
  });

  // ---- allocations ----
  app.get('/allocations/:consumer', opts, async (req) =>
    consumerAllocationsView(svc.consumer(param(req, 'consumer')), (rp) => svc.repo.providers.get(rp)?.generation, mvOf(req)),
  );

  app.put('/allocations/:consumer', opts, async (req, reply) => {
    const { auth } = contextOf(req);
    const project = auth.scope.kind === 'project' ? auth.scope.projectId : '';
    await svc.allocate([allocationRequest(param(req, 'consumer'), body(req), mvOf(req), project, auth.userId)]);
    return reply.code(204).send();
  });

  app.post('/allocations', opts, async (req, reply) => {
    since(req, 13);
    const { auth } = contextOf(req);
    const project = auth.scope.kind === 'project' ? auth.scope.projectId : '';
    const requests = Object.entries(body(req)).map(([consumer, b]) =>
      allocationRequest(consumer, isObject(b) ? b : {}, mvOf(req), project, auth.userId),
    );
    await svc.allocate(requests);
    return reply.code(204).send();
  });

  app.delete('/allocations/:consumer', opts, async (req, reply) => {
    if (!(await svc.release(param(req, 'consumer')))) {
      throw new KosError('NotFound', `No allocations for consumer '${param(req, 'consumer')}'`);
    }
    return reply.code(204).send();
  });

  // ---- allocation candidates and usages ----
  app.get('/allocation_candidates', opts, async (req) => {
    since(req, 10);
    const mv = mvOf(req);
    const resourcesText = one(req, 'resources');
    if (resourcesText === undefined) throw new KosError('BadRequest', "Invalid query string parameters: 'resources' is a required property");
    const limitText = mv >= 16 ? one(req, 'limit') : undefined;
    if (limitText !== undefined && !/^[1-9]\d*$/.test(limitText)) throw new KosError('BadRequest', `Invalid query string parameters: '${limitText}' does not match '^[1-9][0-9]*$'`);
    const found = allocationCandidates(svc.providers(), svc.repo.consumers.list(), {
      resources: parseResources(resourcesText),
      ...(mv >= 17 && many(req, 'required').length > 0 ? { required: parseTraits(many(req, 'required')) } : {}),
      ...(mv >= 21 && many(req, 'member_of').length > 0 ? { memberOf: many(req, 'member_of') } : {}),
      ...(mv >= 31 && one(req, 'in_tree') !== undefined ? { inTree: svc.provider(one(req, 'in_tree')!).root_provider_uuid } : {}),
      ...(limitText !== undefined ? { limit: Number(limitText) } : {}),
    }, (rp, used) => svc.capacitySummary(rp, used));
    const requested = parseResources(resourcesText);
    const allocation_requests = found.providers.map((rp) =>
      mv >= 12
        ? { allocations: { [rp]: { resources: requested } }, ...(mv >= 34 ? { mappings: { '': [rp] } } : {}) }
        : { allocations: [{ resource_provider: { uuid: rp }, resources: requested }] },
    );
    const provider_summaries: Json = {};
    for (const [rp, s] of Object.entries(found.summaries)) {
      provider_summaries[rp] = {
        resources: s.resources,
        ...(mv >= 17 ? { traits: s.traits } : {}),
        ...(mv >= 29 ? { parent_provider_uuid: s.parent_provider_uuid, root_provider_uuid: s.root_provider_uuid } : {}),
      };
    }
    return { allocation_requests, provider_summaries };
  });

  app.get('/usages', opts, async (req) => {
    since(req, 9);
    const project = one(req, 'project_id');
    if (project === undefined) throw new KosError('BadRequest', "Invalid query string parameters: 'project_id' is a required property");
    return { usages: svc.projectUsage(project, one(req, 'user_id'), mvOf(req) >= 38 ? one(req, 'consumer_type') : undefined) };
  });
}
