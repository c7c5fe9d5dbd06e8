/**
 * GET and LIST of kinds answered by an ObjectSource instead of the store (the
 * metrics.k8s.io kinds): label and field selectors and Table output work as for stored
 * kinds; there is no resourceVersion, no paging and no watch, like metrics-server.
 */
import type { ResourceRequest } from '../request-info.js';
import type { ObjectSource, ResourceDefinition } from '../resource.js';
import { negotiateShape } from '../negotiation.js';
import { compileFilter } from '../selectors.js';
import { notFound } from '../status.js';
import { parseIncludeObject, toTable } from '../table.js';

export interface SourceCall {
  info: ResourceRequest;
  query: Record<string, string | undefined>;
  accept: string | undefined;
}

export async function serveFromSource(def: ResourceDefinition, source: ObjectSource, call: SourceCall, now: number): Promise<{ code: number; body: unknown }> {
  const { info, query } = call;
  const shape = negotiateShape(call.accept, info.subresource === undefined);
  const asTable = (objects: Parameters<typeof toTable>[1]) =>
    shape.as === 'table' ? toTable(def, objects, { resourceVersion: '' }, parseIncludeObject(query.includeObject), now, `meta.k8s.io/${shape.version}`) : undefined;
  if (info.name !== undefined) {
    const obj = await source.get(info.namespace, info.name);
    if (!obj) throw notFound({ group: def.group, resource: def.plural }, info.name);
    return { code: 200, body: asTable([obj]) ?? obj };
  }
  const wanted = compileFilter(def, query.labelSelector, query.fieldSelector);
  const items = (await source.list(info.namespace)).filter(wanted);
  return { code: 200, body: asTable(items) ?? { kind: def.listKind, apiVersion: def.apiVersion, metadata: {}, items } };
}
