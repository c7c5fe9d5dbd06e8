/**
 * The core/v1 Endpoints of a Service from its pods' endpoints: one subset per distinct
 * port set, ready addresses apart from not-ready ones, sorted by IP so an unchanged
 * world gives an identical object (and no write). Past 1000 addresses the object is
 * truncated — ready addresses first — and annotated, as upstream does.
 */
import type { JsonObject } from '../../../apiserver/object.js';
import { portsKey, targetRef, type PodEndpoint } from './pod-endpoints.js';

export const maxEndpointsAddresses = 1000;
export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';

export interface DesiredEndpoints {
  subsets: JsonObject[];
  truncated: boolean;
}

function address(e: PodEndpoint): JsonObject {
  const a: JsonObject = { ip: e.ip };
  if (e.hostname) a.hostname = e.hostname;
  if (e.nodeName) a.nodeName = e.nodeName;
  a.targetRef = targetRef(e);
  return a;
}

const byIp = (a: PodEndpoint, b: PodEndpoint): number => compareIPs(a.ip, b.ip) || a.pod.name.localeCompare(b.pod.name);

/** Numeric order for IPv4, text order otherwise. */
export function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  }
  return a.localeCompare(b);
}

export function desiredEndpoints(endpoints: readonly PodEndpoint[]): DesiredEndpoints {
  const groups = new Map<string, { ports: PodEndpoint['ports']; ready: PodEndpoint[]; notReady: PodEndpoint[] }>();
  for (const e of endpoints) {
    const key = portsKey(e.ports);
    let g = groups.get(key);
    if (!g) {
      g = { ports: [...e.ports].sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port), ready: [], notReady: [] };
      groups.set(key, g);
    }
    (e.podReady || e.publishNotReady ? g.ready : g.notReady).push(e);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g);
  for (const g of ordered) {
    g.ready.sort(byIp);
    g.notReady.sort(byIp);
  }
  // Truncate: ready addresses keep their places first, not-ready ones fill what is left.
  let budget = maxEndpointsAddresses;
  let truncated = false;
  for (const g of ordered) {
    if (g.ready.length > budget) {
      g.ready = g.ready.slice(0, budget);
      truncated = true;
    }
    budget -= g.ready.length;
  }
  for (const g of ordered) {
    if (g.notReady.length > budget) {
      g.notReady = g.notReady.slice(0, budget);
      truncated = true;
    }
    budget -= g.notReady.length;
  }
  const subsets: JsonObject[] = [];
  for (const g of ordered) {
    if (g.ready.length === 0 && g.notReady.length === 0) continue;
    const s: JsonObject = {};
    if (g.ready.length > 0) s.addresses = g.ready.map(address);
    if (g.notReady.length > 0) s.notReadyAddresses = g.notReady.map(address);
    if (g.ports.length > 0) s.ports = g.ports.map((p) => ({ ...p }));
    subsets.push(s);
  }
  return { subsets, truncated };
}
