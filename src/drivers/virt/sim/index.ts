/**
 * The simulated hypervisor fleet: instances are records with a console log, boots take
 * a configurable delay (instant by default) on the injected clock, and faults are opted
 * into — a hypervisor marked down refuses work, and the next N boots (or every boot on a
 * host) fail with an error nova-compute turns into the server's fault.
 */
import type { Clock } from '../../../core/clock.js';
import { VirtError, type InstanceSpec, type PowerAction, type VirtDriver } from '../types.js';

export interface SimVirtOptions {
  clock: Clock;
  /** Milliseconds from spawn to running (default 0). */
  bootDelayMs?: number;
  /** Milliseconds a power action takes (default 0). */
  actionDelayMs?: number;
}

export interface SimFaults {
  downHosts: string[];
  failingHosts: string[];
  failNextBoots: number;
}

export class SimVirtDriver implements VirtDriver {
  private readonly consoles = new Map<string, string[]>();
  private readonly down = new Set<string>();
  private readonly failing = new Set<string>();
  private failNext = 0;

  constructor(private readonly opts: SimVirtOptions) {}

  /** Inject or clear faults (the documented admin call and `kos fault` land here). */
  setFaults(f: Partial<SimFaults>): SimFaults {
    if (f.downHosts) { this.down.clear(); for (const h of f.downHosts) this.down.add(h); }
    if (f.failingHosts) { this.failing.clear(); for (const h of f.failingHosts) this.failing.add(h); }
    if (f.failNextBoots !== undefined) this.failNext = f.failNextBoots;
    return this.faults();
  }

  faults(): SimFaults {
    return { downHosts: [...this.down].sort(), failingHosts: [...this.failing].sort(), failNextBoots: this.failNext };
  }

  hostUp(host: string): boolean {
    return !this.down.has(host);
  }

  async spawn(spec: InstanceSpec): Promise<void> {
    this.requireUp(spec.host);
    if (this.opts.bootDelayMs) await this.opts.clock.sleep(this.opts.bootDelayMs);
    if (this.failNext > 0 || this.failing.has(spec.host)) {
      if (this.failNext > 0) this.failNext--;
      throw new VirtError(`Build of instance ${spec.instanceId} aborted: simulated boot failure on ${spec.host}`);
    }
    this.log(spec.instanceId, [
      `[    0.000000] Linux version 6.1.0-kos (kos@sim) #1 SMP`,
      `[    0.000000] Command line: root=/dev/vda console=ttyS0`,
      `[    0.100000] Memory: ${spec.memoryMiB * 1024}K available, ${spec.vcpus} CPUs`,
      `cloud-init: instance ${spec.name} (${spec.instanceId}) on ${spec.host}`,
      `login: `,
    ]);
  }

  async power(spec: InstanceSpec, action: PowerAction): Promise<void> {
    this.requireUp(spec.host);
    if (this.opts.actionDelayMs) await this.opts.clock.sleep(this.opts.actionDelayMs);
    this.log(spec.instanceId, [`kos-sim: ${action}`]);
  }

  async destroy(instanceId: string, _host: string): Promise<void> {
    this.consoles.delete(instanceId);
  }

  consoleOutput(instanceId: string, lines?: number): string {
    const all = this.consoles.get(instanceId) ?? [];
    return (lines === undefined ? all : all.slice(-lines)).join('\n');
  }

  private requireUp(host: string): void {
    if (this.down.has(host)) throw new VirtError(`Compute host ${host} could not be found.`);
  }

  private log(id: string, lines: string[]): void {
    const c = this.consoles.get(id) ?? [];
    c.push(...lines);
    this.consoles.set(id, c);
  }
}
