import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/core/clock.js';
import { openSqliteStore } from '../../../../src/core/store/sqlite.js';
import { allocationCandidates } from '../../../../src/openstack/placement/candidates.js';
import { capacityOf, refusal } from '../../../../src/openstack/placement/capacity.js';
import type { Consumer, ResourceProvider } from '../../../../src/openstack/placement/model.js';
import { negotiate } from '../../../../src/openstack/placement/microversion.js';
import { parseTraits } from '../../../../src/openstack/placement/query.js';
import { PlacementRepository } from '../../../../src/openstack/placement/repository.js';
import { PlacementService } from '../../../../src/openstack/placement/service.js';
import { hypervisorSpecs } from '../../../../src/openstack/placement/names.js';
import { defaultConfig } from '../../../../src/core/config.js';
import { tempDir } from '../../../support/kos.js';
import { join } from 'node:path';

const provider = (id: string, extra: Partial<ResourceProvider> = {}): ResourceProvider => ({
  id, name: id, generation: 0, parent_provider_uuid: null, root_provider_uuid: id,
  inventories: {
    VCPU: { total: 4, reserved: 0, min_unit: 1, max_unit: 4, step_size: 1, allocation_ratio: 16 },
    MEMORY_MB: { total: 2048, reserved: 512, min_unit: 1, max_unit: 2048, step_size: 256, allocation_ratio: 1.5 },
  },
  traits: [], aggregates: [], created_at: '', updated_at: '', ...extra,
});
const consumer = (id: string, allocations: Consumer['allocations']): Consumer => ({
  id, project_id: 'p', user_id: 'u', consumer_type: 'INSTANCE', generation: 1, allocations, created_at: '', updated_at: '',
});

describe('placement capacity', () => {
  it('is (total − reserved) × allocation_ratio, with unit constraints', () => {
    const rp = provider('rp1');
    expect(capacityOf(rp.inventories.MEMORY_MB!)).toBe(2304);
    expect(refusal(rp, 'MEMORY_MB', 2048, 256)).toBeUndefined();
    expect(refusal(rp, 'MEMORY_MB', 2048, 512)).toMatch(/exceed the capacity/);
    expect(refusal(rp, 'MEMORY_MB', 100, 0)).toMatch(/inventory constraints/);
    expect(refusal(rp, 'VCPU', 5, 0)).toMatch(/inventory constraints/);
    expect(refusal(rp, 'DISK_GB', 1, 0)).toMatch(/invalid/);
  });

  it('offers candidates that fit, have the traits and sit in the aggregates asked for', () => {
    const providers = [
      provider('full', { traits: ['COMPUTE_NODE'] }),
      provider('free', { traits: ['COMPUTE_NODE'], aggregates: ['az1'] }),
      provider('untraited', { aggregates: ['az1'] }),
    ];
    const consumers = [consumer('c1', { full: { VCPU: 62 } })];
    const found = allocationCandidates(providers, consumers, {
      resources: { VCPU: 4 }, required: parseTraits(['COMPUTE_NODE']),
    }, (rp, used) => ({ VCPU: { capacity: capacityOf(rp.inventories.VCPU!), used: used.VCPU ?? 0 } }));
    expect(found.providers).toEqual(['free']);
    expect(found.summaries.free?.resources.VCPU).toEqual({ capacity: 64, used: 0 });
    const byAz = allocationCandidates(providers, [], { resources: { VCPU: 1 }, memberOf: ['in:az1'], required: parseTraits(['!COMPUTE_NODE']) }, () => ({}));
    expect(byAz.providers).toEqual(['untraited']);
  });

  it('negotiates microversions with 400 for garbage and 406 beyond 1.39', () => {
    expect(negotiate(undefined)).toBe(0);
    expect(negotiate('placement 1.28')).toBe(28);
    expect(negotiate('compute 2.1, placement latest')).toBe(39);
    expect(() => negotiate('placement one')).toThrow(/invalid version string/);
    expect(() => negotiate('placement 1.40')).toThrow(/Unacceptable version header: 1.40/);
  });

  it('names one provider per hypervisor, stable across calls', () => {
    const specs = hypervisorSpecs(defaultConfig({}));
    expect(specs.map((s) => s.name)).toEqual(['az1-hv-1', 'az1-hv-2', 'az2-hv-1', 'az2-hv-2', 'az3-hv-1', 'az3-hv-2']);
    expect(hypervisorSpecs(defaultConfig({}))[0]!.uuid).toBe(specs[0]!.uuid);
    expect(new Set(specs.map((s) => s.aggregateUuid)).size).toBe(3);
  });

  it('never oversubscribes under concurrent claims', async () => {
    const store = openSqliteStore({ path: join(tempDir(), 'kos.db'), clock: new VirtualClock(), durability: 'normal' });
    try {
      const repo = new PlacementRepository(store);
      await repo.load();
      const svc = new PlacementService(repo, new VirtualClock());
      const rp = await svc.createProvider({ name: 'hv' });
      await svc.setInventories(rp.id, 0, { VCPU: { total: 4, reserved: 0, min_unit: 1, max_unit: 4, step_size: 1, allocation_ratio: 2 } });
      const claims = Array.from({ length: 20 }, (_, i) =>
        svc.allocate([{ consumer: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, allocations: { [rp.id]: { VCPU: 1 } }, project_id: 'p', user_id: 'u' }])
          .then(() => true, () => false),
      );
      const won = (await Promise.all(claims)).filter(Boolean).length;
      expect(won).toBe(8);
      expect(svc.usage(rp.id)).toEqual({ VCPU: 8 });
    } finally {
      await store.close();
    }
  });
});
