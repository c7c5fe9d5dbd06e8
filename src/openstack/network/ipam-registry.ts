/**
 * The allocation state of every subnet, rebuilt from the ports at start (ports are the
 * only holders of addresses) and kept beside them: per subnet the free ranges of its
 * pools and the set of taken addresses, so a check or an allocation never scans ports.
 */
import { conflict, neutronError } from './errors.js';
import { FreeRanges, type Range } from './ipam.js';
import { contains, formatIp, parseCidr, parseIp, type Cidr } from './ip.js';
import type { Subnet } from './model.js';

interface SubnetState {
  cidr: Cidr;
  pools: Range[];
  free: FreeRanges;
  taken: Set<bigint>;
}

export function poolRanges(s: Pick<Subnet, 'allocation_pools'>): Range[] {
  return s.allocation_pools.map((p) => ({ first: parseIp(p.start)!.value, last: parseIp(p.end)!.value }));
}

export class Ipam {
  private readonly subnets = new Map<string, SubnetState>();

  /** Register (or re-register after its pools changed) a subnet with the addresses already taken. */
  setSubnet(s: Subnet, taken: Iterable<string> = this.takenOf(s.id)): void {
    const cidr = parseCidr(s.cidr)!;
    const pools = poolRanges(s);
    const free = new FreeRanges(pools);
    const set = new Set<bigint>();
    for (const ip of taken) {
      const v = parseIp(ip)?.value;
      if (v === undefined) continue;
      set.add(v);
      free.take(v);
    }
    this.subnets.set(s.id, { cidr, pools, free, taken: set });
  }

  private takenOf(subnetId: string): string[] {
    const st = this.subnets.get(subnetId);
    return st ? [...st.taken].map((v) => formatIp(st.cidr.version, v)) : [];
  }

  dropSubnet(id: string): void {
    this.subnets.delete(id);
  }

  private state(subnetId: string): SubnetState {
    const st = this.subnets.get(subnetId);
    if (!st) throw neutronError('NotFound', 'SubnetNotFound', `Subnet ${subnetId} could not be found.`);
    return st;
  }

  isTaken(subnetId: string, ip: string): boolean {
    const v = parseIp(ip)?.value;
    return v !== undefined && this.state(subnetId).taken.has(v);
  }

  /** Take a given address (409 IpAddressAlreadyAllocated when another port holds it). */
  take(subnetId: string, ip: string): void {
    const st = this.state(subnetId);
    const v = parseIp(ip)!.value;
    if (st.taken.has(v)) throw conflict('IpAddressAlreadyAllocated', `IP address ${ip} already allocated in subnet ${subnetId}`);
    st.taken.add(v);
    st.free.take(v);
  }

  /** The next free address of the pools, taken; undefined when exhausted. */
  takeNext(subnetId: string): string | undefined {
    const st = this.state(subnetId);
    for (;;) {
      const v = st.free.takeNext();
      if (v === undefined) return undefined;
      // An address outside the pools' bookkeeping may already be held (taken explicitly).
      if (st.taken.has(v)) continue;
      st.taken.add(v);
      return formatIp(st.cidr.version, v);
    }
  }

  release(subnetId: string, ip: string): void {
    const st = this.subnets.get(subnetId);
    const v = parseIp(ip)?.value;
    if (!st || v === undefined || !st.taken.delete(v)) return;
    st.free.release(v, (x) => st.pools.some((p) => x >= p.first && x <= p.last));
  }

  inCidr(subnetId: string, ip: string): boolean {
    const v = parseIp(ip);
    const st = this.state(subnetId);
    return v !== undefined && v.version === st.cidr.version && contains(st.cidr, v.value);
  }

  /** Addresses in the pools and how many of them are used (network IP availabilities). */
  usage(subnetId: string): { total: bigint; used: number } {
    const st = this.state(subnetId);
    let total = 0n;
    for (const p of st.pools) total += p.last - p.first + 1n;
    let used = 0;
    for (const v of st.taken) if (st.pools.some((p) => v >= p.first && v <= p.last)) used++;
    return { total, used };
  }
}
