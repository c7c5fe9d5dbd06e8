/**
 * The compute service layer's shared parts: the repository, the hypervisor fleet from
 * config (mapped 1:1 onto Placement's providers), the peers Nova calls in-process
 * (Placement's scheduler API, Glance, Neutron), the virt driver, and instance actions.
 */
import type { Clock } from '../../core/clock.js';
import type { KosConfig } from '../../core/config.js';
import type { SimVirtDriver } from '../../drivers/virt/sim/index.js';
import type { ImageService } from '../image/service.js';
import type { NetworkCore } from '../network/core.js';
import type { HypervisorSpec } from '../placement/names.js';
import type { PlacementSchedulerApi } from '../placement/scheduler-api.js';
import type { ComputeCtx } from './context.js';
import { novaTime } from './context.js';
import type { InstanceAction } from './model.js';
import type { ComputeRepository } from './repository.js';

export interface ComputePeers {
  scheduler: PlacementSchedulerApi;
  images: ImageService;
  network: NetworkCore;
}

export class ComputeCore {
  /** Hypervisors by hostname (`az1-hv-1`), in config order. */
  readonly hosts = new Map<string, HypervisorSpec & { number: number }>();
  /** Wakes nova-compute for a server id (set by index.ts). */
  kick: (serverId: string) => void = () => undefined;

  constructor(
    readonly repo: ComputeRepository,
    readonly clock: Clock,
    readonly config: KosConfig,
    readonly peers: ComputePeers,
    readonly driver: SimVirtDriver,
    specs: HypervisorSpec[],
  ) {
    specs.forEach((h, i) => this.hosts.set(h.name, { ...h, number: i + 1 }));
  }

  now(): string {
    return novaTime(this.clock.now());
  }

  zones(): string[] {
    return [...new Set([...this.hosts.values()].map((h) => h.zone))];
  }

  /** The availability zone of a host: an aggregate's AZ metadata wins over config. */
  zoneOf(host: string): string {
    for (const a of this.repo.aggregates.list()) if (a.availability_zone && a.hosts.includes(host)) return a.availability_zone;
    return this.hosts.get(host)?.zone ?? 'nova';
  }

  /** Record the start of an instance action (os-instance-actions) with its first event. */
  async startAction(ctx: ComputeCtx, serverId: string, action: string, event: string): Promise<void> {
    // Milliseconds kept: the events time each transition (the benchmark reads them).
    const now = new Date(this.clock.now()).toISOString();
    const id = `${ctx.requestId}:${serverId}`;
    const record: InstanceAction = {
      id, instance_uuid: serverId, action, project_id: ctx.projectId, user_id: ctx.userId, start_time: now, updated_at: now,
      message: null, events: [{ event, start_time: now, finish_time: null, result: null, host: null }],
    };
    if (this.repo.actions.has(id)) return;
    await this.repo.actions.create(record);
  }

  /** Finish the newest action's open events of a server. */
  async finishAction(serverId: string, result: 'Success' | 'Error', host: string | null, message?: string): Promise<void> {
    const latest = this.repo.actions.byIndex('instance', serverId).sort((a, b) => b.start_time.localeCompare(a.start_time))[0];
    if (!latest || latest.events.every((e) => e.finish_time !== null)) return;
    const now = new Date(this.clock.now()).toISOString();
    await this.repo.actions.update(latest.id, (a) => ({
      ...a, updated_at: now, message: result === 'Error' ? (message ?? 'Error') : a.message,
      events: a.events.map((e) => (e.finish_time === null ? { ...e, finish_time: now, result, host } : e)),
    }));
  }
}
