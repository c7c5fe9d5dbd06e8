/**
 * nova-compute (with the conductor's scheduling step) as one level-triggered reconciler:
 * a server's task_state names the transition it is in, the reconciler re-reads the
 * server, does that transition through Placement, Neutron and the virt driver, and writes
 * the resulting vm_state — safe to run again at any point (claims replace a consumer's
 * allocations, ports are found by device id before any is created).
 */
import type { Reconciler, ReconcileResult, Source } from '../../core/reconcile/index.js';
import { VirtError, type InstanceSpec, type PowerAction } from '../../drivers/virt/types.js';
import type { Resources } from '../placement/model.js';
import { Mutex } from '../common/collection.js';
import { systemAuth } from './context.js';
import type { ComputeCore } from './core.js';
import { hostUsable } from './hosts.js';
import type { FlavorSnapshot, PowerState, Server, ServerPort, VmState } from './model.js';
import { plugPort, portRequests, rebindPorts, unplugPort } from './ports.js';
import { rankHosts, type GroupConstraint } from './scheduler.js';
import { instanceName } from './servers/views.js';
import { snapshot } from './snapshots.js';

export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';

/** task_state → the driver's power action and where the server ends up. */
const POWER_TASKS: Record<string, { action: PowerAction; vm: VmState; power: PowerState }> = {
  'powering-off': { action: 'stop', vm: 'stopped', power: 4 },
  'powering-on': { action: 'start', vm: 'active', power: 1 },
  rebooting: { action: 'reboot-soft', vm: 'active', power: 1 },
  rebooting_hard: { action: 'reboot-hard', vm: 'active', power: 1 },
  pausing: { action: 'pause', vm: 'paused', power: 3 },
  unpausing: { action: 'unpause', vm: 'active', power: 1 },
  suspending: { action: 'suspend', vm: 'suspended', power: 7 },
  resuming: { action: 'resume', vm: 'active', power: 1 },
  rescuing: { action: 'rescue', vm: 'rescued', power: 1 },
  unrescuing: { action: 'unrescue', vm: 'active', power: 1 },
};

export function resourcesOf(f: FlavorSnapshot): Resources {
  const r: Resources = { VCPU: f.vcpus, MEMORY_MB: f.ram };
  const disk = f.disk + f.ephemeral + Math.ceil(f.swap / 1024);
  if (disk > 0) r.DISK_GB = disk;
  return r;
}

function sum(a: Record<string, Resources>, rp: string, r: Resources): Record<string, Resources> {
  const cur = { ...(a[rp] ?? {}) };
  for (const [k, v] of Object.entries(r)) cur[k] = (cur[k] ?? 0) + v;
  return { ...a, [rp]: cur };
}

export function specOf(s: Server): InstanceSpec {
  return {
    instanceId: s.id, name: instanceName(s), host: s.host ?? '', vcpus: s.flavor.vcpus, memoryMiB: s.flavor.ram,
    diskGiB: s.flavor.disk, imageId: s.image_ref, userData: s.user_data,
  };
}

export class ComputeManager {
  private readonly providerHost = new Map<string, string>();
  private readonly scheduling = new Mutex();

  constructor(private readonly core: ComputeCore) {
    for (const h of core.hosts.values()) this.providerHost.set(h.uuid, h.name);
  }

  reconciler(): Reconciler {
    return { name: 'nova-compute', reconcile: (id) => this.reconcile(id) };
  }

  source(): Source {
    return {
      informer: { start() {}, async stop() {}, async waitForSync() {} },
      subscribe: (enqueue) => {
        for (const s of this.core.repo.servers.list((x) => x.task_state !== null)) enqueue(s.id);
        this.core.kick = enqueue;
        return () => { this.core.kick = () => undefined; };
      },
    };
  }

  async reconcile(id: string): Promise<ReconcileResult> {
    const s = this.core.repo.servers.get(id);
    if (!s || s.task_state === null) return {};
    try {
      await this.step(s);
    } catch (e) {
      if (!(e instanceof VirtError)) throw e;
      await this.fail(s, e.message, 500);
    }
    return {};
  }

  private async step(s: Server): Promise<void> {
    const task = s.task_state!;
    const power = POWER_TASKS[task];
    if (power) {
      await this.core.driver.power(specOf(s), power.action);
      return this.settle(s, { vm_state: power.vm, power_state: power.power }, 'Success');
    }
    switch (task) {
      case 'scheduling': case 'spawning': case 'block_device_mapping': case 'networking': return this.build(s);
      case 'deleting': return this.destroy(s);
      case 'rebuilding': {
        await this.core.driver.spawn(specOf(s));
        // A stopped server is rebuilt and left stopped, as Nova does.
        const stopped = s.vm_state === 'stopped';
        return this.settle(s, { vm_state: stopped ? 'stopped' : 'active', power_state: stopped ? 4 : 1, launched_at: this.core.now() }, 'Success');
      }
      case 'resize_prep': return this.resize(s);
      case 'resize_reverting': return this.revert(s);
      case 'migrating': return this.liveMigrate(s);
      case 'shelving': case 'shelving_offloading': return this.shelve(s);
      case 'unshelving': return this.unshelve(s);
      default: return this.settle(s, {}, 'Success');
    }
  }

  /** Write the outcome: the given fields, task_state cleared, the action's events closed. */
  private async settle(s: Server, patch: Partial<Server>, result: 'Success' | 'Error'): Promise<void> {
    const now = this.core.now();
    const next = await this.core.repo.servers.update(s.id, (o) => ({ ...o, ...patch, task_state: null, updated_at: now }));
    await this.core.finishAction(s.id, result, next.host);
  }

  private async fail(s: Server, message: string, code: number): Promise<void> {
    await this.core.peers.scheduler.release(s.id);
    await this.settle(s, { vm_state: 'error', fault: { code, message, created: this.core.now(), details: message } }, 'Error');
  }

  private group(s: Server): GroupConstraint | null {
    if (!s.group_id) return null;
    const g = this.core.repo.groups.get(s.group_id);
    if (!g) return null;
    const memberHosts = g.members.filter((m) => m !== s.id).map((m) => this.core.repo.servers.get(m)?.host).filter((h): h is string => !!h);
    return { policy: g.policy, memberHosts, ...(g.rules.max_server_per_host ? { maxServerPerHost: g.rules.max_server_per_host } : {}) };
  }

  /** Pick a host and claim `alloc(host)` there for the server; null when none fits. */
  private async place(s: Server, flavor: FlavorSnapshot, opts: { ignore?: string[]; forced?: string | null; zone?: string | null }, alloc: (rp: string) => Record<string, Resources>): Promise<string | null> {
    const resources = resourcesOf(flavor);
    const candidates = this.core.peers.scheduler.candidates({ resources });
    const image = s.image_ref ? this.core.peers.images.get({ requestId: 'nova-compute', auth: systemAuth(s.project_id) }, s.image_ref) : undefined;
    const ranked = rankHosts(candidates, (rp) => {
      const name = this.providerHost.get(rp);
      return name ? { name, zone: this.core.zoneOf(name), usable: hostUsable(this.core, name) } : undefined;
    }, {
      zone: opts.zone ?? null, forcedHost: opts.forced ?? null, group: this.group(s), ignoreHosts: opts.ignore ?? [],
      imageProperties: image?.properties ?? {}, flavorExtraSpecs: flavor.extra_specs,
    });
    for (const host of ranked) {
      const rp = this.core.hosts.get(host)!.uuid;
      if (await this.core.peers.scheduler.claim({ consumer: s.id, projectId: s.project_id, userId: s.user_id, allocations: alloc(rp) })) return host;
    }
    return null;
  }

  private async build(s: Server): Promise<void> {
    if (!s.host) {
      // One scheduling decision at a time (as one nova-scheduler makes them), so a group's
      // members see each other's hosts and claims never race for the last room.
      const placed = await this.scheduling.run(async () => {
        const host = await this.place(s, s.flavor, { forced: s.forced_host, zone: s.requested_az }, (rp) => ({ [rp]: resourcesOf(s.flavor) }));
        if (!host) return null;
        const zone = this.core.zoneOf(host);
        return this.core.repo.servers.update(s.id, (o) => ({ ...o, host, availability_zone: zone, task_state: 'networking' }));
      });
      if (!placed) return this.fail(s, NO_VALID_HOST, 500);
      s = placed;
    }
    if (s.ports.length === 0) {
      const ports: ServerPort[] = [];
      const existing = this.core.peers.network.repo.ports.byIndex('device_id', s.id);
      for (const req of portRequests(this.core.peers.network, s)) {
        const reuse = existing.find((p) => (req.port ? p.id === req.port : p.network_id === req.uuid && !ports.some((x) => x.port_id === p.id)));
        ports.push(reuse && !req.port
          ? { port_id: reuse.id, network_id: reuse.network_id, network_name: this.core.peers.network.repo.networks.get(reuse.network_id)?.name ?? '', mac: reuse.mac_address, ips: reuse.fixed_ips.map((f) => ({ address: f.ip_address, version: f.ip_address.includes(':') ? 6 : 4 })), created: true, tag: req.tag ?? null }
          : await plugPort(this.core.peers.network, s, req));
      }
      s = await this.core.repo.servers.update(s.id, (o) => ({ ...o, ports, task_state: 'spawning' }));
    }
    await this.core.driver.spawn(specOf(s));
    await this.settle(s, { vm_state: 'active', power_state: 1, launched_at: this.core.now() }, 'Success');
  }

  private async destroy(s: Server): Promise<void> {
    if (s.host) await this.core.driver.destroy(s.id, s.host);
    for (const p of s.ports) await unplugPort(this.core.peers.network, s, p);
    await this.core.peers.scheduler.release(s.id);
    if (s.group_id && this.core.repo.groups.has(s.group_id)) {
      await this.core.repo.groups.update(s.group_id, (g) => ({ ...g, members: g.members.filter((m) => m !== s.id) }));
    }
    await this.core.finishAction(s.id, 'Success', s.host);
    await this.core.repo.servers.deleteIfExists(s.id);
  }

  private async resize(s: Server): Promise<void> {
    const source = s.host!;
    const old = s.old_flavor ?? s.flavor;
    const migrate = s.old_flavor === null || s.old_flavor.id === s.flavor.id;
    const oldRp = this.core.hosts.get(source)!.uuid;
    const host = await this.place(s, s.flavor, { ignore: migrate ? [source] : [], zone: s.requested_az }, (rp) => sum({ [oldRp]: resourcesOf(old) }, rp, resourcesOf(s.flavor)));
    if (!host) {
      await this.core.repo.servers.update(s.id, (o) => ({ ...o, flavor: old, old_flavor: null }));
      await this.finishMigration(s.id, 'error');
      return this.settle(s, { fault: { code: 500, message: NO_VALID_HOST, created: this.core.now() } }, 'Error');
    }
    await this.core.driver.destroy(s.id, source);
    const moved = { ...s, host };
    await rebindPorts(this.core.peers.network, moved, host);
    await this.core.driver.spawn(specOf(moved));
    await this.finishMigration(s.id, 'finished', host);
    await this.settle(s, { host, migration_source: source, old_flavor: old, vm_state: 'resized', availability_zone: this.core.zoneOf(host) }, 'Success');
  }

  private async revert(s: Server): Promise<void> {
    const source = s.migration_source ?? s.host!;
    const old = s.old_flavor ?? s.flavor;
    await this.core.peers.scheduler.claim({ consumer: s.id, projectId: s.project_id, userId: s.user_id, allocations: { [this.core.hosts.get(source)!.uuid]: resourcesOf(old) } });
    if (s.host) await this.core.driver.destroy(s.id, s.host);
    const back = { ...s, host: source, flavor: old };
    await rebindPorts(this.core.peers.network, back, source);
    await this.core.driver.spawn(specOf(back));
    await this.finishMigration(s.id, 'reverted');
    await this.settle(s, { host: source, flavor: old, old_flavor: null, migration_source: null, vm_state: 'active', availability_zone: this.core.zoneOf(source) }, 'Success');
  }

  private async liveMigrate(s: Server): Promise<void> {
    const source = s.host!;
    const pending = this.core.repo.migrations.list((m) => m.instance_uuid === s.id && m.status === 'running')[0];
    const target = pending?.dest_compute ? pending.dest_compute : null;
    const host = await this.place(s, s.flavor, { ignore: [source], forced: target, zone: s.requested_az }, (rp) => ({ [rp]: resourcesOf(s.flavor) }));
    if (!host) {
      await this.finishMigration(s.id, 'error');
      return this.settle(s, {}, 'Error');
    }
    await rebindPorts(this.core.peers.network, { ...s, host }, host);
    await this.core.driver.destroy(s.id, source);
    await this.core.driver.spawn(specOf({ ...s, host }));
    await this.finishMigration(s.id, 'completed', host);
    await this.settle(s, { host, availability_zone: this.core.zoneOf(host) }, 'Success');
  }

  private async shelve(s: Server): Promise<void> {
    if (s.image_ref && !s.shelved_image_id) {
      const image = await snapshot(this.core, systemAuth(s.project_id), 'nova-compute', s, `${s.name}-shelved`, {});
      s = await this.core.repo.servers.update(s.id, (o) => ({ ...o, shelved_image_id: image.id }));
    }
    if (s.host) await this.core.driver.destroy(s.id, s.host);
    await rebindPorts(this.core.peers.network, s, null);
    await this.core.peers.scheduler.release(s.id);
    await this.settle(s, { vm_state: 'shelved_offloaded', power_state: 4, host: null }, 'Success');
  }

  private async unshelve(s: Server): Promise<void> {
    const host = await this.place(s, s.flavor, { zone: s.requested_az, forced: s.forced_host }, (rp) => ({ [rp]: resourcesOf(s.flavor) }));
    if (!host) return this.settle(s, { fault: { code: 500, message: NO_VALID_HOST, created: this.core.now() } }, 'Error');
    const placed = { ...s, host };
    await rebindPorts(this.core.peers.network, placed, host);
    await this.core.driver.spawn(specOf(placed));
    if (s.shelved_image_id) {
      await this.core.peers.images.delete({ requestId: 'nova-compute', auth: systemAuth(s.project_id) }, s.shelved_image_id).catch(() => undefined);
    }
    await this.settle(s, { host, vm_state: 'active', power_state: 1, availability_zone: this.core.zoneOf(host), shelved_image_id: null }, 'Success');
  }

  private async finishMigration(serverId: string, status: string, dest?: string): Promise<void> {
    const m = this.core.repo.migrations.list((x) => x.instance_uuid === serverId && ['pre-migrating', 'migrating', 'running', 'queued', 'accepted'].includes(x.status))[0];
    if (!m) return;
    await this.core.repo.migrations.update(m.id, (o) => ({ ...o, status, ...(dest ? { dest_compute: dest } : {}), updated_at: this.core.now() }));
  }
}
