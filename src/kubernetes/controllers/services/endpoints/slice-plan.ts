/**
 * Which EndpointSlices a Service should have, planned against the ones it has so that a
 * pod coming or going touches one slice, not all of them: endpoints stay in the slice
 * that already holds them, new ones fill slices with room (at most 100 endpoints each)
 * before a new slice is made, emptied slices go. Slices group endpoints with the same
 * resolved ports. With no endpoints at all one empty placeholder slice remains, as
 * upstream keeps one.
 */
import { arrayAt, isObject, stringAt, type JsonObject } from '../../../apiserver/object.js';
import { compareIPs } from './endpoints-subsets.js';
import { portsKey, type EndpointPort } from './pod-endpoints.js';

export const maxEndpointsPerSlice = 100;

export interface DesiredSliceEndpoint {
  /** Identity across syncs: the pod's uid. */
  key: string;
  ports: EndpointPort[];
  /** The discovery.k8s.io/v1 Endpoint as it should be written. */
  endpoint: JsonObject;
}

export interface CurrentSlice {
  name: string;
  addressType: string;
  ports: JsonObject[];
  endpoints: JsonObject[];
}

export interface PlannedSlice {
  /** Undefined: a new slice. */
  name?: string;
  ports: JsonObject[];
  endpoints: JsonObject[];
}

export interface SlicePlan {
  slices: PlannedSlice[];
  deletes: string[];
}

/** How a written endpoint is recognised again: its pod's uid, else its first address. */
export function endpointKey(e: JsonObject): string {
  const ref = isObject(e.targetRef) ? stringAt(e.targetRef, 'uid') : undefined;
  if (ref) return ref;
  const first = (arrayAt(e, 'addresses') ?? [])[0];
  return typeof first === 'string' ? first : '';
}

/** A slice's ports in the canonical form the port key compares. */
function slicePortsKey(ports: readonly JsonObject[]): string {
  return portsKey(
    ports.map((p) => ({ name: stringAt(p, 'name') ?? '', port: typeof p.port === 'number' ? p.port : 0, protocol: stringAt(p, 'protocol') ?? 'TCP', ...(p.appProtocol ? { appProtocol: String(p.appProtocol) } : {}) })),
  );
}

const firstAddress = (e: JsonObject): string => {
  const a = (arrayAt(e, 'addresses') ?? [])[0];
  return typeof a === 'string' ? a : '';
};
const byAddress = (a: JsonObject, b: JsonObject): number => compareIPs(firstAddress(a), firstAddress(b)) || endpointKey(a).localeCompare(endpointKey(b));

export function planSlices(desired: readonly DesiredSliceEndpoint[], current: readonly CurrentSlice[], max = maxEndpointsPerSlice): SlicePlan {
  const wanted = new Map<string, { ports: JsonObject[]; byKey: Map<string, JsonObject> }>();
  for (const d of desired) {
    const pk = portsKey(d.ports);
    let group = wanted.get(pk);
    if (!group) {
      const ports = [...d.ports].sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port).map((p) => ({ ...p }) as JsonObject);
      group = { ports, byKey: new Map() };
      wanted.set(pk, group);
    }
    group.byKey.set(d.key, d.endpoint);
  }
  const placed = new Set<string>();
  const kept: (PlannedSlice & { pk: string })[] = [];
  const deletes: string[] = [];
  /** Slices no longer needed as they are, which a new slice may take over instead of being made. */
  const reusable: string[] = [];
  for (const slice of [...current].sort((a, b) => a.name.localeCompare(b.name))) {
    const pk = slicePortsKey(slice.ports);
    const group = wanted.get(pk);
    if (slice.addressType !== 'IPv4') {
      deletes.push(slice.name);
      continue;
    }
    if (!group) {
      reusable.push(slice.name);
      continue;
    }
    const endpoints: JsonObject[] = [];
    for (const e of slice.endpoints) {
      const key = endpointKey(e);
      const want = group.byKey.get(key);
      if (!want || placed.has(`${pk}\u0000${key}`) || endpoints.length >= max) continue;
      placed.add(`${pk}\u0000${key}`);
      endpoints.push(want);
    }
    kept.push({ name: slice.name, pk, ports: group.ports, endpoints });
  }
  const created: PlannedSlice[] = [];
  for (const [pk, group] of [...wanted.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const fresh = [...group.byKey.entries()].filter(([key]) => !placed.has(`${pk}\u0000${key}`)).map(([, e]) => e).sort(byAddress);
    for (const slice of kept) {
      if (slice.pk !== pk) continue;
      while (fresh.length > 0 && slice.endpoints.length < max) slice.endpoints.push(fresh.shift()!);
    }
    while (fresh.length > 0) created.push({ ports: group.ports, endpoints: fresh.splice(0, max) });
  }
  const slices: PlannedSlice[] = [];
  for (const slice of kept) {
    if (slice.endpoints.length === 0) reusable.push(slice.name!);
    else slices.push({ name: slice.name!, ports: slice.ports, endpoints: slice.endpoints.sort(byAddress) });
  }
  reusable.sort();
  for (const slice of created) {
    const name = reusable.shift();
    slices.push(name === undefined ? slice : { name, ...slice });
  }
  // With no endpoints at all one empty slice stays: the placeholder.
  if (slices.length === 0) {
    const name = reusable.shift();
    slices.push(name === undefined ? { ports: [], endpoints: [] } : { name, ports: [], endpoints: [] });
  }
  deletes.push(...reusable);
  return { slices, deletes };
}
