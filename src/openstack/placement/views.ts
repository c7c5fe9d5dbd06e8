/** Placement's JSON for providers, resource classes and allocations, by microversion. */
import type { Consumer, ResourceProvider } from './model.js';

type Json = Record<string, unknown>;

export function providerView(rp: ResourceProvider, mv: number): Json {
  const self = `/resource_providers/${rp.id}`;
  const links = [
    { rel: 'self', href: self },
    { rel: 'inventories', href: `${self}/inventories` },
    { rel: 'usages', href: `${self}/usages` },
  ];
  if (mv >= 1) links.push({ rel: 'aggregates', href: `${self}/aggregates` });
  if (mv >= 6) links.push({ rel: 'traits', href: `${self}/traits` });
  if (mv >= 11) links.push({ rel: 'allocations', href: `${self}/allocations` });
  return {
    uuid: rp.id,
    name: rp.name,
    generation: rp.generation,
    ...(mv >= 14 ? { parent_provider_uuid: rp.parent_provider_uuid, root_provider_uuid: rp.root_provider_uuid } : {}),
    links,
  };
}

export const resourceClassView = (name: string): Json => ({
  name,
  links: [{ rel: 'self', href: `/resource_classes/${name}` }],
});

/** GET /allocations/{consumer}. */
export function consumerAllocationsView(consumer: Consumer | undefined, generationOf: (rp: string) => number | undefined, mv: number): Json {
  const allocations: Json = {};
  for (const [rp, resources] of Object.entries(consumer?.allocations ?? {})) {
    allocations[rp] = { generation: generationOf(rp), resources };
  }
  const body: Json = { allocations };
  if (consumer && mv >= 12) {
    body.project_id = consumer.project_id;
    body.user_id = consumer.user_id;
  }
  if (consumer && mv >= 28) body.consumer_generation = consumer.generation;
  if (consumer && mv >= 38) body.consumer_type = consumer.consumer_type;
  return body;
}
