/**
 * IPAM: the free-range allocator on its own, then through the service layer (a real
 * repository over SQLite): pools, the gateway, overlaps, exhaustion and SLAAC addresses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/core/clock.js';
import { defaultConfig } from '../../../../src/core/config.js';
import { isKosError } from '../../../../src/core/errors.js';
import type { Store } from '../../../../src/core/store/types.js';
import { openSqliteStore } from '../../../../src/core/store/sqlite.js';
import { buildNetworkCore, systemCtx, type NetworkCore } from '../../../../src/openstack/network/index.js';
import { FreeRanges } from '../../../../src/openstack/network/ipam.js';
import type { Json } from '../../../../src/openstack/network/resource.js';

/** The Neutron exception name a call fails with. */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isKosError(e)) return `${e.status} ${String(e.details?.type)}`;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('FreeRanges', () => {
  it('hands out the lowest free address and splits or merges ranges as addresses are taken and returned', () => {
    const pools = [{ first: 10n, last: 14n }, { first: 2n, last: 3n }];
    const inPools = (v: bigint) => pools.some((p) => v >= p.first && v <= p.last);
    const free = new FreeRanges(pools);
    expect(free.free).toBe(7n);
    expect(free.takeNext()).toBe(2n);
    expect(free.take(12n)).toBe(true);
    expect(free.take(12n)).toBe(false);
    expect(free.take(99n)).toBe(false);
    expect([free.takeNext(), free.takeNext(), free.takeNext(), free.takeNext(), free.takeNext()]).toEqual([3n, 10n, 11n, 13n, 14n]);
    expect(free.takeNext()).toBeUndefined();
    free.release(11n, inPools);
    free.release(13n, inPools);
    free.release(12n, inPools);
    free.release(50n, inPools);
    expect(free.free).toBe(3n);
    expect([free.takeNext(), free.takeNext(), free.takeNext(), free.takeNext()]).toEqual([11n, 12n, 13n, undefined]);
  });
});

describe('IPAM through the service layer', () => {
  let dir: string;
  let store: Store;
  let core: NetworkCore;
  const project = 'p0000000000000000000000000000001';
  const ctx = systemCtx(project);
  const net = async (): Promise<string> => (await core.res.networks.create({ name: 'n' }, ctx)).id;
  const subnet = (body: Json) => core.res.subnets.create(body, ctx);
  const port = (body: Json) => core.res.ports.create(body, ctx);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kos-ipam-'));
    store = openSqliteStore({ path: join(dir, 'kos.db'), clock: new VirtualClock(), durability: 'normal' });
    core = await buildNetworkCore(store, new VirtualClock(), defaultConfig({}));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults the gateway to the first host and the pool to the rest, and allocates in order', async () => {
    const n = await net();
    const s = await subnet({ network_id: n, ip_version: 4, cidr: '10.0.0.0/29' });
    expect(s.gateway_ip).toBe('10.0.0.1');
    expect(s.allocation_pools).toEqual([{ start: '10.0.0.2', end: '10.0.0.6' }]);
    const ips: string[] = [];
    for (let i = 0; i < 5; i++) ips.push((await port({ network_id: n })).fixed_ips[0]!.ip_address);
    expect(ips).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    expect(await failure(port({ network_id: n }))).toBe('409 IpAddressGenerationFailure');
    // A freed address is handed out again.
    const holder = core.repo.ports.byIndex('network_id', n).find((p) => p.fixed_ips[0]?.ip_address === '10.0.0.4')!;
    await core.res.ports.remove(holder.id, ctx);
    expect((await port({ network_id: n })).fixed_ips[0]!.ip_address).toBe('10.0.0.4');
    expect(core.ipam.usage(s.id)).toEqual({ total: 5n, used: 5 });
  });

  it('takes explicit addresses and refuses one already held', async () => {
    const n = await net();
    const s = await subnet({ network_id: n, ip_version: 4, cidr: '10.1.0.0/24', allocation_pools: [{ start: '10.1.0.100', end: '10.1.0.110' }] });
    const p = await port({ network_id: n, fixed_ips: [{ subnet_id: s.id, ip_address: '10.1.0.105' }] });
    expect(p.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '10.1.0.105' }]);
    expect(await failure(port({ network_id: n, fixed_ips: [{ ip_address: '10.1.0.105' }] }))).toBe('409 IpAddressAlreadyAllocated');
    // Outside the pools but inside the CIDR is allowed for an explicit address.
    expect((await port({ network_id: n, fixed_ips: [{ ip_address: '10.1.0.7' }] })).fixed_ips[0]!.ip_address).toBe('10.1.0.7');
    // The automatic allocation skips the explicit one.
    const auto = [];
    for (let i = 0; i < 6; i++) auto.push((await port({ network_id: n })).fixed_ips[0]!.ip_address);
    expect(auto).toEqual(['10.1.0.100', '10.1.0.101', '10.1.0.102', '10.1.0.103', '10.1.0.104', '10.1.0.106']);
  });

  it('refuses overlapping pools, pools outside the CIDR, a gateway inside a pool and overlapping subnets', async () => {
    const n = await net();
    expect(await failure(subnet({ network_id: n, ip_version: 4, cidr: '10.2.0.0/24', allocation_pools: [{ start: '10.2.0.10', end: '10.2.0.20' }, { start: '10.2.0.20', end: '10.2.0.30' }] })))
      .toBe('400 OverlappingAllocationPools');
    expect(await failure(subnet({ network_id: n, ip_version: 4, cidr: '10.2.0.0/24', allocation_pools: [{ start: '10.2.0.10', end: '10.2.1.5' }] })))
      .toBe('400 OutOfBoundsAllocationPool');
    expect(await failure(subnet({ network_id: n, ip_version: 4, cidr: '10.2.0.0/24', gateway_ip: '10.2.0.15', allocation_pools: [{ start: '10.2.0.10', end: '10.2.0.20' }] })))
      .toBe('409 GatewayConflictWithAllocationPools');
    await subnet({ network_id: n, ip_version: 4, cidr: '10.2.0.0/24' });
    expect(await failure(subnet({ network_id: n, ip_version: 4, cidr: '10.2.0.128/25' }))).toBe('400 InvalidInput');
    // The same CIDR on another network is fine (overlap is per network).
    await subnet({ network_id: await net(), ip_version: 4, cidr: '10.2.0.0/24' });
  });

  it('gives SLAAC ports EUI-64 addresses from their MAC and a stateful v6 subnet pool addresses', async () => {
    const n = await net();
    const slaac = await subnet({ network_id: n, ip_version: 6, cidr: '2001:db8:1::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
    const p = await port({ network_id: n, mac_address: 'fa:16:3e:00:11:22' });
    expect(p.fixed_ips).toEqual([{ subnet_id: slaac.id, ip_address: '2001:db8:1:0:f816:3eff:fe00:1122' }]);
    expect(await failure(subnet({ network_id: n, ip_version: 6, cidr: '2001:db8:2::/80', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' }))).toBe('400 InvalidInput');
    const n2 = await net();
    const stateful = await subnet({ network_id: n2, ip_version: 6, cidr: '2001:db8:3::/64', ipv6_ra_mode: 'dhcpv6-stateful', ipv6_address_mode: 'dhcpv6-stateful' });
    expect(stateful.gateway_ip).toBe('2001:db8:3::1');
    expect((await port({ network_id: n2 })).fixed_ips[0]!.ip_address).toBe('2001:db8:3::2');
    // Deleting a SLAAC subnet drops the derived addresses from the ports instead of refusing.
    await core.res.subnets.remove(slaac.id, ctx);
    expect(core.repo.ports.get(p.id)!.fixed_ips).toEqual([]);
  });
});
