/**
 * POST /servers/{id}/action: one handler per action name, each checking the server's
 * state as Nova's compute API does and starting the transition nova-compute finishes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { uuid } from '../../../core/ids.js';
import { resourcesOf } from '../compute-manager.js';
import { snapshot } from '../snapshots.js';
import type { ComputeCtx } from '../context.js';
import type { ComputeCore } from '../core.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { findFlavor } from '../flavors.js';
import { baseUrl, bool, int, isObject, str } from '../http.js';
import type { Server, VmState } from '../model.js';
import { computePolicy } from '../policy.js';
import { checkQuota } from '../quotas.js';
import { begin, checkState, checkUnlocked } from './access.js';
import { bootImage, checkMetadata } from './create.js';
import { changedServerView } from './views.js';

interface ActionCall {
  req: FastifyRequest;
  reply: FastifyReply;
  core: ComputeCore;
  ctx: ComputeCtx;
  s: Server;
  arg: unknown;
}

type Handler = (c: ActionCall) => Promise<unknown>;

/** An action that is a plain task on a state: 202, no body. */
const simple = (task: string, action: string, event: string, from: VmState[], opts: { lock?: boolean } = {}): Handler => async ({ core, ctx, s, reply }) => {
  if (opts.lock !== false) checkUnlocked(ctx, s);
  checkState(s, action, from);
  await begin(core, ctx, s, task, action, event);
  return reply.code(202).send();
};

async function migrationRecord(core: ComputeCore, s: Server, type: 'migration' | 'resize' | 'live-migration', status: string, newFlavorId: string, dest = ''): Promise<void> {
  const number = core.repo.migrations.list().reduce((n, m) => Math.max(n, m.number), 0) + 1;
  const now = core.now();
  await core.repo.migrations.create({
    id: uuid(), number, instance_uuid: s.id, project_id: s.project_id, user_id: s.user_id, migration_type: type,
    source_compute: s.host ?? '', dest_compute: dest, status, old_flavor_id: s.flavor.id, new_flavor_id: newFlavorId, created_at: now, updated_at: now,
  });
}

const handlers: Record<string, Handler> = {
  'os-stop': simple('powering-off', 'stop', 'compute_stop_instance', ['active', 'error']),
  'os-start': simple('powering-on', 'start', 'compute_start_instance', ['stopped']),
  pause: simple('pausing', 'pause', 'compute_pause_instance', ['active']),
  unpause: simple('unpausing', 'unpause', 'compute_unpause_instance', ['paused']),
  suspend: simple('suspending', 'suspend', 'compute_suspend_instance', ['active']),
  resume: simple('resuming', 'resume', 'compute_resume_instance', ['suspended']),
  unrescue: simple('unrescuing', 'unrescue', 'compute_unrescue_instance', ['rescued']),
  shelveOffload: simple('shelving_offloading', 'shelveOffload', 'compute_shelve_offload_instance', ['shelved']),

  async reboot({ core, ctx, s, arg, reply }) {
    if (!isObject(arg)) throw badRequest('Invalid input for field/attribute reboot.');
    const type = arg.type;
    if (typeof type !== 'string' || !['SOFT', 'HARD'].includes(type.toUpperCase())) throw badRequest(`Invalid input for field/attribute type. Value: ${String(type)}. '${String(type)}' does not match '^([Hh][Aa][Rr][Dd]|[Ss][Oo][Ff][Tt])$'`);
    checkUnlocked(ctx, s);
    const hard = type.toUpperCase() === 'HARD';
    checkState(s, 'reboot', hard ? ['active', 'stopped', 'paused', 'suspended', 'error'] : ['active', 'stopped', 'paused', 'suspended', 'error']);
    await begin(core, ctx, s, hard ? 'rebooting_hard' : 'rebooting', 'reboot', 'compute_reboot_instance');
    return reply.code(202).send();
  },

  async rescue({ core, ctx, s, arg, reply }) {
    checkUnlocked(ctx, s);
    checkState(s, 'rescue', ['active', 'stopped', 'error']);
    if (isObject(arg) && arg.rescue_image_ref !== undefined) bootImage(core, ctx, str(arg.rescue_image_ref, 'rescue_image_ref'));
    const pass = isObject(arg) && typeof arg.adminPass === 'string' ? arg.adminPass : Math.random().toString(36).slice(2, 14);
    await begin(core, ctx, s, 'rescuing', 'rescue', 'compute_rescue_instance');
    return reply.code(200).send({ adminPass: pass });
  },

  async lock({ ctx, core, s, arg, reply }) {
    let reason: string | null = null;
    if (isObject(arg) && arg.locked_reason !== undefined) {
      if (ctx.mv < 73) throw badRequest(`Invalid input for field/attribute lock.`);
      reason = str(arg.locked_reason, 'locked_reason', 255, 0);
    }
    await core.repo.servers.update(s.id, (o) => ({ ...o, locked: true, locked_reason: reason, locked_by: ctx.projectId === s.project_id ? 'owner' : 'admin' }));
    await core.startAction(ctx, s.id, 'lock', 'api_lock');
    await core.finishAction(s.id, 'Success', s.host);
    return reply.code(202).send();
  },

  async unlock({ ctx, core, s, reply }) {
    if (s.locked && s.locked_by === 'admin' && !ctx.admin) throw conflict(`Instance ${s.id} is locked`);
    if (s.locked && s.locked_by === 'admin' && ctx.projectId === s.project_id && !ctx.admin) computePolicy.enforce('os_compute_api:os-lock-server:unlock:unlock_override', ctx.auth);
    await core.repo.servers.update(s.id, (o) => ({ ...o, locked: false, locked_reason: null, locked_by: null }));
    await core.startAction(ctx, s.id, 'unlock', 'api_unlock');
    await core.finishAction(s.id, 'Success', s.host);
    return reply.code(202).send();
  },

  async resize({ core, ctx, s, arg, reply }) {
    checkUnlocked(ctx, s);
    if (!isObject(arg) || arg.flavorRef === undefined) throw badRequest(`Invalid input for field/attribute resize. 'flavorRef' is a required property`);
    if (arg['OS-DCF:diskConfig'] !== undefined && !['AUTO', 'MANUAL'].includes(String(arg['OS-DCF:diskConfig']))) throw badRequest('Invalid input for field/attribute OS-DCF:diskConfig.');
    checkState(s, 'resize', ['active', 'stopped']);
    let f;
    try { f = findFlavor(core, ctx, String(arg.flavorRef).split('/').pop() ?? ''); } catch { throw badRequest(`Flavor ${String(arg.flavorRef)} could not be found.`); }
    if (f.id === s.flavor.id) throw badRequest('When resizing, instances must change flavor!');
    if (f.disk < s.flavor.disk && f.disk !== 0) throw badRequest('Resizing to a smaller disk flavor is not supported.');
    const extraCores = f.vcpus - s.flavor.vcpus;
    const extraRam = f.ram - s.flavor.ram;
    checkQuota(core, s.project_id, { cores: Math.max(0, extraCores), ram: Math.max(0, extraRam) });
    await migrationRecord(core, s, 'resize', 'pre-migrating', f.id);
    const dc = arg['OS-DCF:diskConfig'];
    await begin(core, ctx, s, 'resize_prep', 'resize', 'compute_prep_resize', {
      ...(dc === 'AUTO' || dc === 'MANUAL' ? { disk_config: dc } : {}),
      old_flavor: s.flavor,
      flavor: { id: f.id, name: f.name, ram: f.ram, vcpus: f.vcpus, disk: f.disk, ephemeral: f.ephemeral, swap: f.swap, extra_specs: { ...f.extra_specs } },
    });
    return reply.code(202).send();
  },

  async migrate({ core, ctx, s, arg, reply }) {
    computePolicy.enforce('os_compute_api:os-migrate-server:migrate', ctx.auth);
    checkState(s, 'migrate', ['active', 'stopped']);
    let host = '';
    if (isObject(arg) && arg.host !== undefined && arg.host !== null) {
      if (ctx.mv < 56) throw badRequest(`Invalid input for field/attribute migrate.`);
      host = str(arg.host, 'host');
      if (!core.hosts.has(host)) throw badRequest(`Compute host ${host} could not be found.`);
      if (host === s.host) throw badRequest(`The target host can't be the same one.`);
    }
    await migrationRecord(core, s, 'migration', 'pre-migrating', s.flavor.id, host);
    await begin(core, ctx, s, 'resize_prep', 'migrate', 'compute_prep_resize', { old_flavor: s.flavor });
    return reply.code(202).send();
  },

  async confirmResize({ core, ctx, s, reply }) {
    if (s.vm_state !== 'resized') throw conflict(`Cannot 'confirmResize' instance ${s.id} while it is in vm_state ${s.vm_state}`);
    const host = s.host!;
    await core.peers.scheduler.claim({ consumer: s.id, projectId: s.project_id, userId: s.user_id, allocations: { [core.hosts.get(host)!.uuid]: resourcesOf(s.flavor) } });
    const m = core.repo.migrations.list((x) => x.instance_uuid === s.id && x.status === 'finished')[0];
    if (m) await core.repo.migrations.update(m.id, (o) => ({ ...o, status: 'confirmed', updated_at: core.now() }));
    await core.repo.servers.update(s.id, (o) => ({ ...o, vm_state: o.power_state === 4 ? 'stopped' : 'active', old_flavor: null, migration_source: null, task_state: null, updated_at: core.now() }));
    await core.startAction(ctx, s.id, 'confirmResize', 'compute_confirm_resize');
    await core.finishAction(s.id, 'Success', host);
    return reply.code(204).send();
  },

  async revertResize({ core, ctx, s, reply }) {
    if (s.vm_state !== 'resized') throw conflict(`Cannot 'revertResize' instance ${s.id} while it is in vm_state ${s.vm_state}`);
    await begin(core, ctx, s, 'resize_reverting', 'revertResize', 'compute_revert_resize');
    return reply.code(202).send();
  },

  async rebuild({ req, core, ctx, s, arg, reply }) {
    checkUnlocked(ctx, s);
    if (!isObject(arg) || typeof arg.imageRef !== 'string') throw badRequest(`Invalid input for field/attribute rebuild. 'imageRef' is a required property`);
    checkState(s, 'rebuild', ['active', 'stopped', 'error']);
    const image = bootImage(core, ctx, arg.imageRef.split('/').pop() ?? '');
    const patch: Partial<Server> = { image_ref: image.id, vm_state: 'active' };
    const dc = arg['OS-DCF:diskConfig'];
    if (dc !== undefined) {
      if (dc !== 'AUTO' && dc !== 'MANUAL') throw badRequest(`Invalid input for field/attribute OS-DCF:diskConfig. Value: ${String(dc)}.`);
      patch.disk_config = dc;
    }
    if (arg.name !== undefined) patch.name = str(arg.name, 'name');
    if (arg.metadata !== undefined) patch.metadata = checkMetadata(core, s.project_id, arg.metadata);
    if (arg.accessIPv4 !== undefined) patch.access_ipv4 = str(arg.accessIPv4, 'accessIPv4', 15, 0);
    if (arg.accessIPv6 !== undefined) patch.access_ipv6 = str(arg.accessIPv6, 'accessIPv6', 45, 0);
    if (arg.description !== undefined && ctx.mv >= 19) patch.description = arg.description === null ? null : str(arg.description, 'description', 255, 0);
    if (arg.key_name !== undefined && ctx.mv >= 54) patch.key_name = arg.key_name === null ? null : str(arg.key_name, 'key_name');
    if (arg.user_data !== undefined && ctx.mv >= 57) patch.user_data = arg.user_data === null ? null : str(arg.user_data, 'user_data', 65535, 0);
    const wasStopped = s.vm_state === 'stopped';
    const next = await begin(core, ctx, s, 'rebuilding', 'rebuild', 'compute_rebuild_instance', wasStopped ? { ...patch, vm_state: 'stopped' } : patch);
    const body = changedServerView(req, core, next, ctx, true);
    const pass = typeof arg.adminPass === 'string' ? arg.adminPass : Math.random().toString(36).slice(2, 14);
    return reply.code(202).send({ server: { ...body, adminPass: pass } });
  },

  async createImage({ req, core, ctx, s, arg, reply }) {
    if (!isObject(arg)) throw badRequest('Invalid input for field/attribute createImage.');
    const name = str(arg.name, 'name');
    const metadata = arg.metadata === undefined ? {} : checkMetadata(core, s.project_id, arg.metadata);
    checkState(s, 'createImage', ['active', 'stopped', 'paused', 'suspended', 'shelved', 'shelved_offloaded']);
    await core.startAction(ctx, s.id, 'createImage', 'compute_snapshot_instance');
    const image = await snapshot(core, ctx.auth, ctx.requestId, s, name, metadata);
    await core.finishAction(s.id, 'Success', s.host);
    void reply.header('location', `${baseUrl(req).replace(/\/compute$/, '/image')}/v2/images/${image.id}`);
    return reply.code(202).send(ctx.mv >= 45 ? { image_id: image.id } : undefined);
  },

  async createBackup({ req, core, ctx, s, arg, reply }) {
    if (!isObject(arg)) throw badRequest('Invalid input for field/attribute createBackup.');
    const name = str(arg.name, 'name');
    const type = str(arg.backup_type, 'backup_type');
    const rotation = int(arg.rotation, 'rotation', 0);
    const metadata = arg.metadata === undefined ? {} : checkMetadata(core, s.project_id, arg.metadata);
    checkState(s, 'createBackup', ['active', 'stopped', 'paused', 'suspended']);
    await core.startAction(ctx, s.id, 'createBackup', 'compute_backup_instance');
    const image = rotation > 0 ? await snapshot(core, ctx.auth, ctx.requestId, s, name, { ...metadata, image_type: 'backup', backup_type: type }) : undefined;
    // Rotation: keep the newest `rotation` backups of this server and type.
    const rctx = { requestId: ctx.requestId, auth: ctx.auth };
    const backups = core.peers.images.list(rctx, {}).images
      .filter((i) => i.properties.instance_uuid === s.id && i.properties.image_type === 'backup' && i.properties.backup_type === type)
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || (a.id === image?.id ? -1 : b.id === image?.id ? 1 : 0));
    for (const old of backups.slice(rotation)) await core.peers.images.delete(rctx, old.id);
    await core.finishAction(s.id, 'Success', s.host);
    if (image) void reply.header('location', `${baseUrl(req).replace(/\/compute$/, '/image')}/v2/images/${image.id}`);
    return reply.code(202).send(ctx.mv >= 45 && image ? { image_id: image.id } : undefined);
  },

  async shelve({ core, ctx, s, reply }) {
    checkUnlocked(ctx, s);
    checkState(s, 'shelve', ['active', 'stopped', 'paused', 'suspended']);
    await begin(core, ctx, s, 'shelving', 'shelve', 'compute_shelve_instance');
    return reply.code(202).send();
  },

  async unshelve({ core, ctx, s, arg, reply }) {
    checkUnlocked(ctx, s);
    checkState(s, 'unshelve', ['shelved', 'shelved_offloaded']);
    const patch: Partial<Server> = {};
    if (isObject(arg) && arg.host !== undefined && arg.host !== null) {
      if (ctx.mv < 91) throw badRequest(`Additional properties are not allowed ('host' was unexpected)`);
      computePolicy.enforce('os_compute_api:os-migrate-server:migrate', ctx.auth);
      const host = str(arg.host, 'host');
      if (!core.hosts.has(host)) throw badRequest(`Compute host ${host} could not be found.`);
      if (s.vm_state !== 'shelved_offloaded') throw conflict(`The server status must be SHELVED_OFFLOADED to unshelve to a specific host.`);
      patch.forced_host = host;
    }
    if (isObject(arg) && arg.availability_zone !== undefined && ctx.mv >= 77) {
      const az = arg.availability_zone === null ? null : str(arg.availability_zone, 'availability_zone');
      if (az && !core.zones().includes(az)) throw badRequest('The requested availability zone is not available');
      patch.requested_az = az;
    }
    await begin(core, ctx, s, 'unshelving', 'unshelve', 'compute_unshelve_instance', patch);
    return reply.code(202).send();
  },

  async 'os-migrateLive'({ core, ctx, s, arg, reply }) {
    computePolicy.enforce('os_compute_api:os-migrate-server:migrate_live', ctx.auth);
    if (!isObject(arg) || !('host' in arg)) throw badRequest(`Invalid input for field/attribute os-migrateLive. 'host' is a required property`);
    if (arg.block_migration === undefined) throw badRequest(`Invalid input for field/attribute os-migrateLive. 'block_migration' is a required property`);
    if (arg.block_migration !== 'auto') bool(arg.block_migration, 'block_migration');
    checkState(s, 'os-migrateLive', ['active', 'paused']);
    const host = arg.host === null ? '' : str(arg.host, 'host');
    if (host && !core.hosts.has(host)) throw badRequest(`Compute host ${host} could not be found.`);
    if (host && host === s.host) throw badRequest(`The supplied hypervisor type of is invalid.`);
    await migrationRecord(core, s, 'live-migration', 'running', s.flavor.id, host);
    await begin(core, ctx, s, 'migrating', 'live-migration', 'compute_live_migration');
    return reply.code(202).send();
  },

  async 'os-getConsoleOutput'({ core, s, arg }) {
    checkState(s, 'get_console_output', ['active', 'stopped', 'paused', 'suspended', 'rescued', 'resized']);
    let length: number | undefined;
    if (isObject(arg) && arg.length !== undefined && arg.length !== null) length = int(arg.length, 'length', -1);
    return { output: core.driver.consoleOutput(s.id, length !== undefined && length >= 0 ? length : undefined) };
  },

  async addSecurityGroup({ core, ctx, s, arg, reply }) {
    const name = str(isObject(arg) ? arg.name : undefined, 'name');
    const groups = core.peers.network.repo.securityGroups.list((g) => (g.name === name || g.id === name) && (g.project_id === s.project_id || ctx.admin));
    if (groups.length === 0) throw notFound(`Security group ${name} not found for project ${s.project_id}.`);
    if (s.security_groups.includes(groups[0]!.name)) throw badRequest(`Security group ${name} is already associated with the instance ${s.id}`);
    await core.repo.servers.update(s.id, (o) => ({ ...o, security_groups: [...o.security_groups, groups[0]!.name] }));
    return reply.code(202).send();
  },

  async removeSecurityGroup({ core, s, arg, reply }) {
    const name = str(isObject(arg) ? arg.name : undefined, 'name');
    if (!s.security_groups.includes(name)) throw notFound(`Security group ${name} not associated with the instance ${s.id}`);
    await core.repo.servers.update(s.id, (o) => ({ ...o, security_groups: o.security_groups.filter((g) => g !== name) }));
    return reply.code(202).send();
  },

  async changePassword({ s, arg, reply }) {
    str(isObject(arg) ? arg.adminPass : undefined, 'adminPass', 255, 0);
    checkState(s, 'changePassword', ['active']);
    return reply.code(202).send();
  },

  async trigger_crash_dump({ core, ctx, s, reply }) {
    checkUnlocked(ctx, s);
    checkState(s, 'trigger_crash_dump', ['active', 'paused', 'rescued', 'resized', 'error']);
    await core.startAction(ctx, s.id, 'trigger_crash_dump', 'compute_trigger_crash_dump');
    await core.finishAction(s.id, 'Success', s.host);
    return reply.code(202).send();
  },

  async 'os-resetState'({ core, ctx, s, arg, reply }) {
    computePolicy.enforce('os_compute_api:os-admin-actions', ctx.auth);
    const state = isObject(arg) ? arg.state : undefined;
    if (state !== 'active' && state !== 'error') throw badRequest(`Invalid input for field/attribute state. Value: ${String(state)}.`);
    await core.repo.servers.update(s.id, (o) => ({ ...o, vm_state: state, task_state: null, updated_at: core.now() }));
    return reply.code(202).send();
  },

  async restore({ s }) {
    throw conflict(`Cannot 'restore' instance ${s.id} while it is in vm_state ${s.vm_state}`);
  },

  async forceDelete({ core, ctx, s, reply }) {
    // Without soft delete (reclaim_instance_interval 0) only an already deleting server is here.
    if (s.task_state !== 'deleting') throw conflict(`Cannot 'forceDelete' instance ${s.id} while it is in vm_state ${s.vm_state}`);
    core.kick(s.id);
    void ctx;
    return reply.code(202).send();
  },

  async resetNetwork({ ctx, reply }) {
    computePolicy.enforce('os_compute_api:os-admin-actions', ctx.auth);
    return reply.code(202).send();
  },
  async injectNetworkInfo({ ctx, reply }) {
    computePolicy.enforce('os_compute_api:os-admin-actions', ctx.auth);
    return reply.code(202).send();
  },
};

export async function runAction(req: FastifyRequest, reply: FastifyReply, core: ComputeCore, ctx: ComputeCtx, s: Server): Promise<unknown> {
  const body = isObject(req.body) ? req.body : {};
  const names = Object.keys(body);
  if (names.length !== 1) throw badRequest('There is no such action: ' + (names.join(',') || 'None'));
  const name = names[0]!;
  const handler = handlers[name];
  if (!handler) throw badRequest(`There is no such action: ${name}`);
  computePolicy.enforce('os_compute_api:servers:action', ctx.auth, { project_id: s.project_id });
  if (s.vm_state === 'building' && name !== 'lock' && name !== 'unlock') throw conflict(`Cannot '${name}' instance ${s.id} while it is in vm_state building`);
  if (s.task_state === 'deleting') throw conflict(`Cannot '${name}' instance ${s.id} while it is in task_state deleting`);
  return handler({ req, reply, core, ctx, s, arg: body[name] });
}
