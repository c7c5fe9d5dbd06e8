/**
 * One resource provider per simulated hypervisor of the configured datacenter (names and
 * uuids from names.ts, shared with Nova), with inventories from its hypervisor group and
 * Nova's initial allocation ratios (initial_cpu_allocation_ratio 16.0,
 * initial_ram_allocation_ratio 1.5, initial_disk_allocation_ratio 1.0) and Nova's default
 * reserved_host_memory_mb of 512; each in the aggregate of its availability zone and with
 * the COMPUTE_NODE trait. Idempotent: existing providers are converged, never duplicated.
 */
import type { KosConfig } from '../../core/config.js';
import type { Inventory } from './model.js';
import { hypervisorSpecs, type HypervisorSpec } from './names.js';
import type { PlacementService } from './service.js';

export const CPU_ALLOCATION_RATIO = 16.0;
export const RAM_ALLOCATION_RATIO = 1.5;
export const DISK_ALLOCATION_RATIO = 1.0;
export const RESERVED_HOST_MEMORY_MB = 512;

export const COMPUTE_TRAITS = ['COMPUTE_NODE', 'COMPUTE_IMAGE_TYPE_QCOW2', 'COMPUTE_IMAGE_TYPE_RAW', 'COMPUTE_ARCH_X86_64', 'HW_CPU_X86_AVX2'];

export function hypervisorInventories(h: HypervisorSpec): Record<string, Inventory> {
  return {
    VCPU: { total: h.vcpus, reserved: 0, min_unit: 1, max_unit: h.vcpus, step_size: 1, allocation_ratio: CPU_ALLOCATION_RATIO },
    MEMORY_MB: {
      total: h.memoryMiB, reserved: Math.min(RESERVED_HOST_MEMORY_MB, h.memoryMiB - 1), min_unit: 1,
      max_unit: h.memoryMiB, step_size: 1, allocation_ratio: RAM_ALLOCATION_RATIO,
    },
    DISK_GB: { total: h.diskGiB, reserved: 0, min_unit: 1, max_unit: h.diskGiB, step_size: 1, allocation_ratio: DISK_ALLOCATION_RATIO },
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export async function bootstrapProviders(svc: PlacementService, config: KosConfig): Promise<void> {
  for (const h of hypervisorSpecs(config)) {
    let rp = svc.repo.providers.get(h.uuid) ?? (await svc.createProvider({ name: h.name, uuid: h.uuid }));
    const inventories = hypervisorInventories(h);
    if (!same(rp.inventories, inventories)) rp = await svc.setInventories(h.uuid, rp.generation, inventories);
    if (!same(rp.traits, [...COMPUTE_TRAITS].sort())) rp = await svc.setProviderTraits(h.uuid, rp.generation, COMPUTE_TRAITS);
    if (!same(rp.aggregates, [h.aggregateUuid])) await svc.setProviderAggregates(h.uuid, rp.generation, [h.aggregateUuid]);
  }
}
