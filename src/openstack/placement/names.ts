/**
 * Deterministic names and ids shared with Nova: one resource provider per simulated
 * hypervisor, named `<zone>-hv-<n>` (n counts the zone's hypervisors from 1 across its
 * groups) with a uuid derived from region and name, and one aggregate per availability
 * zone — so Nova's hypervisors map 1:1 onto providers without asking.
 */
import { createHash } from 'node:crypto';
import type { KosConfig } from '../../core/config.js';

/** A name-based UUID (version 5 layout over sha1), stable across restarts. */
export function stableUuid(namespace: string, name: string): string {
  const h = createHash('sha1').update(`${namespace}\0${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface HypervisorSpec {
  region: string;
  zone: string;
  /** `az1-hv-1`: the provider name and the hypervisor's hostname. */
  name: string;
  uuid: string;
  aggregateUuid: string;
  vcpus: number;
  memoryMiB: number;
  diskGiB: number;
}

export const zoneAggregateUuid = (region: string, zone: string): string => stableUuid('kos-az-aggregate', `${region}/${zone}`);

export function hypervisorSpecs(config: KosConfig): HypervisorSpec[] {
  const out: HypervisorSpec[] = [];
  for (const region of config.datacenter.regions) {
    for (const zone of region.zones) {
      let n = 0;
      for (const group of zone.hypervisors) {
        for (let i = 0; i < group.count; i++) {
          const name = `${zone.name}-hv-${++n}`;
          out.push({
            region: region.name, zone: zone.name, name,
            uuid: stableUuid('kos-hypervisor', `${region.name}/${name}`),
            aggregateUuid: zoneAggregateUuid(region.name, zone.name),
            vcpus: group.vcpus, memoryMiB: group.memoryMiB, diskGiB: group.diskGiB,
          });
        }
      }
    }
  }
  return out;
}
