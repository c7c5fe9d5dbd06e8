/**
 * Pod IPs from a node's /24: .2 to .254 (.1 is the bridge), handed out round-robin so a
 * freed address is the last to be reused, never two pods on one address at once. A
 * restarted kubelet re-reserves the addresses its pods already report.
 */
const first = 2;
const last = 254;

export class PodIPAllocator {
  private readonly base: string;
  private readonly used = new Map<number, string>();
  private cursor = first;

  constructor(podCIDR: string) {
    const [addr, bits] = podCIDR.split('/');
    if (bits !== '24' || !addr) throw new Error(`pod CIDR ${podCIDR} is not a /24`);
    this.base = addr.split('.').slice(0, 3).join('.');
  }

  private hostOf(ip: string): number | undefined {
    if (!ip.startsWith(`${this.base}.`)) return undefined;
    const host = Number(ip.slice(this.base.length + 1));
    return Number.isInteger(host) && host >= first && host <= last ? host : undefined;
  }

  /** Reserve `ip` for `owner` if it is in range and free (or already theirs). */
  reserve(ip: string, owner: string): boolean {
    const host = this.hostOf(ip);
    if (host === undefined) return false;
    const holder = this.used.get(host);
    if (holder !== undefined && holder !== owner) return false;
    this.used.set(host, owner);
    return true;
  }

  /** The next free address, or undefined when the range is exhausted. */
  allocate(owner: string): string | undefined {
    const size = last - first + 1;
    for (let i = 0; i < size; i++) {
      const host = first + ((this.cursor - first + i) % size);
      if (this.used.has(host)) continue;
      this.used.set(host, owner);
      this.cursor = host + 1 > last ? first : host + 1;
      return `${this.base}.${host}`;
    }
    return undefined;
  }

  release(ip: string, owner: string): void {
    const host = this.hostOf(ip);
    if (host !== undefined && this.used.get(host) === owner) this.used.delete(host);
  }

  inUse(): number {
    return this.used.size;
  }
}
