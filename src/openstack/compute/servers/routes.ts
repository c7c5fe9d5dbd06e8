/**
 * The /servers routes: create, list, show, update, delete, actions, and the
 * sub-resources (metadata, tags, os-interface, os-instance-actions, ips).
 */
import type { FastifyInstance } from 'fastify';
import { novaMicro } from '../context.js';
import type { ComputeCore } from '../core.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import { ctxOf, isObject, member, param, str, type Json } from '../http.js';
import { computePolicy } from '../policy.js';
import { plugPort, unplugPort } from '../ports.js';
import { findServer, checkUnlocked } from './access.js';
import { runAction } from './actions.js';
import { canonicalIpv6, checkMetadata, checkTag, checkTags, createServers } from './create.js';
import { listServers } from './list.js';
import { addressesOf, changedServerView, serverView } from './views.js';
import { linksOf } from '../http.js';

export function registerServers(app: FastifyInstance, core: ComputeCore): void {
  const repo = core.repo.servers;

  app.get('/v2.1/servers', async (req) => listServers(req, core, ctxOf(req), false));
  app.get('/v2.1/servers/detail', async (req) => listServers(req, core, ctxOf(req), true));

  app.post('/v2.1/servers', async (req, reply) => {
    const ctx = ctxOf(req);
    const b = member(req.body, 'server');
    const hints = isObject(req.body) && isObject(req.body['os:scheduler_hints']) ? req.body['os:scheduler_hints'] : isObject(req.body) && isObject(req.body['OS-SCH-HNT:scheduler_hints']) ? req.body['OS-SCH-HNT:scheduler_hints'] : {};
    const result = await createServers(core, ctx, b, hints);
    for (const s of result.servers) core.kick(s.id);
    if (b.return_reservation_id === true || b.return_reservation_id === 'True') return reply.code(202).send({ reservation_id: result.reservationId });
    const first = result.servers[0]!;
    return reply.code(202).send({
      server: { id: first.id, links: linksOf(req, 'servers', first.id), 'OS-DCF:diskConfig': first.disk_config, security_groups: first.security_groups.map((name) => ({ name })), adminPass: result.adminPass },
    });
  });

  app.get('/v2.1/servers/:id', async (req) => {
    const ctx = ctxOf(req);
    return { server: serverView(req, core, findServer(core, ctx, param(req, 'id')), ctx) };
  });

  app.put('/v2.1/servers/:id', async (req) => {
    const ctx = ctxOf(req);
    const s = findServer(core, ctx, param(req, 'id'));
    computePolicy.enforce('os_compute_api:servers:update', ctx.auth, { project_id: s.project_id });
    const b = member(req.body, 'server');
    const patch: Json = {};
    for (const [k, v] of Object.entries(b)) {
      if (k === 'name') {
        const name = str(v, 'name');
        if (name.trim() === '' || /^\s|\s$/.test(name)) throw badRequest(`Invalid input for field/attribute name. Value: ${name}.`);
        patch.name = name;
      } else if (k === 'description' && ctx.mv >= 19) patch.description = v === null ? null : str(v, 'description', 255, 0);
      else if (k === 'accessIPv4') patch.access_ipv4 = v === null ? '' : str(v, 'accessIPv4', 15, 0);
      else if (k === 'accessIPv6') patch.access_ipv6 = v === null || v === '' ? '' : canonicalIpv6(str(v, 'accessIPv6', 45, 0));
      else if (k === 'OS-DCF:diskConfig' && (v === 'AUTO' || v === 'MANUAL')) patch.disk_config = v;
      else if (k === 'hostname' && ctx.mv >= 90) patch.hostname = str(v, 'hostname', 63);
      else throw badRequest(`Additional properties are not allowed ('${k}' was unexpected)`);
    }
    const next = await repo.update(s.id, (o) => ({ ...o, ...patch, updated_at: core.now() }));
    return { server: changedServerView(req, core, next, ctx, false) };
  });

  app.delete('/v2.1/servers/:id', async (req, reply) => {
    const ctx = ctxOf(req);
    const s = findServer(core, ctx, param(req, 'id'));
    computePolicy.enforce('os_compute_api:servers:delete', ctx.auth, { project_id: s.project_id });
    checkUnlocked(ctx, s);
    if (s.task_state !== 'deleting') {
      await repo.update(s.id, (o) => ({ ...o, task_state: 'deleting', updated_at: core.now() }));
      await core.startAction(ctx, s.id, 'delete', 'compute_terminate_instance');
      core.kick(s.id);
    }
    return reply.code(204).send();
  });

  app.post('/v2.1/servers/:id/action', async (req, reply) => {
    const ctx = ctxOf(req);
    return runAction(req, reply, core, ctx, findServer(core, ctx, param(req, 'id')));
  });

  // Addresses.
  app.get('/v2.1/servers/:id/ips', async (req) => ({ addresses: addressesOf(findServer(core, ctxOf(req), param(req, 'id')), false) }));
  app.get('/v2.1/servers/:id/ips/:network', async (req) => {
    const a = addressesOf(findServer(core, ctxOf(req), param(req, 'id')), false);
    const net = param(req, 'network');
    if (!a[net]) throw notFound('Network does not exist');
    return { [net]: a[net] };
  });

  // Metadata.
  const writable = (id: string, reqCtx: ReturnType<typeof ctxOf>) => {
    const s = findServer(core, reqCtx, id);
    checkUnlocked(reqCtx, s);
    if (s.task_state === 'deleting') throw conflict(`Cannot 'update metadata' instance ${s.id} while it is in task_state deleting`);
    return s;
  };
  app.get('/v2.1/servers/:id/metadata', async (req) => ({ metadata: findServer(core, ctxOf(req), param(req, 'id')).metadata }));
  app.get('/v2.1/servers/:id/metadata/:key', async (req) => {
    const s = findServer(core, ctxOf(req), param(req, 'id'));
    const v = s.metadata[param(req, 'key')];
    if (v === undefined) throw notFound('Metadata item was not found');
    return { meta: { [param(req, 'key')]: v } };
  });
  const setMetadata = async (id: string, ctx: ReturnType<typeof ctxOf>, md: Record<string, string>, replace: boolean) => {
    const s = writable(id, ctx);
    const next = replace ? md : { ...s.metadata, ...md };
    checkMetadata(core, s.project_id, next);
    return (await repo.update(s.id, (o) => ({ ...o, metadata: next, updated_at: core.now() }))).metadata;
  };
  app.post('/v2.1/servers/:id/metadata', async (req) => {
    const ctx = ctxOf(req);
    const md = checkMetadata(core, ctx.projectId, isObject(req.body) ? req.body.metadata : undefined);
    return { metadata: await setMetadata(param(req, 'id'), ctx, md, false) };
  });
  app.put('/v2.1/servers/:id/metadata', async (req) => {
    const ctx = ctxOf(req);
    const md = checkMetadata(core, ctx.projectId, isObject(req.body) ? req.body.metadata : undefined);
    return { metadata: await setMetadata(param(req, 'id'), ctx, md, true) };
  });
  app.put('/v2.1/servers/:id/metadata/:key', async (req) => {
    const ctx = ctxOf(req);
    const meta = checkMetadata(core, ctx.projectId, isObject(req.body) ? req.body.meta : undefined);
    const key = param(req, 'key');
    if (Object.keys(meta).length !== 1) throw badRequest('Request body contains too many items');
    if (!(key in meta)) throw badRequest('Request body and URI mismatch');
    await setMetadata(param(req, 'id'), ctx, meta, false);
    return { meta };
  });
  app.delete('/v2.1/servers/:id/metadata/:key', async (req, reply) => {
    const ctx = ctxOf(req);
    const s = writable(param(req, 'id'), ctx);
    const key = param(req, 'key');
    if (!(key in s.metadata)) throw notFound('Metadata item was not found');
    await repo.update(s.id, (o) => {
      const { [key]: _gone, ...rest } = o.metadata;
      return { ...o, metadata: rest, updated_at: core.now() };
    });
    return reply.code(204).send();
  });

  // Tags (2.26).
  const tagged = (req: Parameters<typeof ctxOf>[0]) => {
    const ctx = ctxOf(req);
    if (ctx.mv < 26) throw notFound('The resource could not be found.');
    return { ctx, s: findServer(core, ctx, param(req, 'id')) };
  };
  const setTags = async (id: string, tags: string[]) => {
    if (tags.length > 50) throw badRequest(`The number of tags exceeded the per-server limit 50`);
    return (await repo.update(id, (o) => ({ ...o, tags, updated_at: core.now() }))).tags;
  };
  app.get('/v2.1/servers/:id/tags', async (req) => ({ tags: tagged(req).s.tags }));
  app.get('/v2.1/servers/:id/tags/:tag', async (req, reply) => {
    const { s } = tagged(req);
    if (!s.tags.includes(param(req, 'tag'))) throw notFound(`Tag '${param(req, 'tag')}' could not be found.`);
    return reply.code(204).send();
  });
  app.put('/v2.1/servers/:id/tags', async (req) => {
    const { ctx, s } = tagged(req);
    const tags = checkTags(isObject(req.body) ? req.body.tags : undefined, ctx.mv);
    return { tags: await setTags(s.id, tags) };
  });
  app.put('/v2.1/servers/:id/tags/:tag', async (req, reply) => {
    const { s } = tagged(req);
    const tag = checkTag(param(req, 'tag'));
    if (!s.tags.includes(tag)) await setTags(s.id, [...s.tags, tag]);
    void reply.header('location', `${req.protocol}://${req.headers.host ?? ''}/compute/v2.1/servers/${s.id}/tags/${tag}`);
    return reply.code(s.tags.includes(tag) ? 204 : 201).send();
  });
  app.delete('/v2.1/servers/:id/tags', async (req, reply) => {
    const { s } = tagged(req);
    await setTags(s.id, []);
    return reply.code(204).send();
  });
  app.delete('/v2.1/servers/:id/tags/:tag', async (req, reply) => {
    const { s } = tagged(req);
    if (!s.tags.includes(param(req, 'tag'))) throw notFound(`Tag '${param(req, 'tag')}' could not be found.`);
    await setTags(s.id, s.tags.filter((t) => t !== param(req, 'tag')));
    return reply.code(204).send();
  });

  // Interfaces (os-interface).
  const ifaceView = (p: { port_id: string; network_id: string; mac: string; ips: { address: string }[]; tag: string | null }, mv: number): Json => {
    const port = core.peers.network.repo.ports.get(p.port_id);
    const v: Json = {
      port_id: p.port_id, net_id: p.network_id, mac_addr: p.mac, port_state: port?.status ?? 'DOWN',
      fixed_ips: (port?.fixed_ips ?? []).map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
    };
    if (mv >= 70) v.tag = p.tag;
    return v;
  };
  app.get('/v2.1/servers/:id/os-interface', async (req) => {
    const ctx = ctxOf(req);
    return { interfaceAttachments: findServer(core, ctx, param(req, 'id')).ports.map((p) => ifaceView(p, ctx.mv)) };
  });
  app.get('/v2.1/servers/:id/os-interface/:port', async (req) => {
    const ctx = ctxOf(req);
    const p = findServer(core, ctx, param(req, 'id')).ports.find((x) => x.port_id === param(req, 'port'));
    if (!p) throw notFound(`Port ${param(req, 'port')} is not attached`);
    return { interfaceAttachment: ifaceView(p, ctx.mv) };
  });
  app.post('/v2.1/servers/:id/os-interface', async (req) => {
    const ctx = ctxOf(req);
    const s = findServer(core, ctx, param(req, 'id'));
    checkUnlocked(ctx, s);
    if (!['active', 'paused', 'stopped'].includes(s.vm_state) || s.task_state !== null) throw conflict(`Cannot 'attach_interface' instance ${s.id} while it is in vm_state ${s.vm_state}`);
    const b = isObject(req.body) && isObject(req.body.interfaceAttachment) ? req.body.interfaceAttachment : {};
    const item: { uuid?: string; port?: string; fixed_ip?: string; tag?: string } = {};
    if (typeof b.port_id === 'string') item.port = b.port_id;
    if (typeof b.net_id === 'string') item.uuid = b.net_id;
    if (Array.isArray(b.fixed_ips) && isObject(b.fixed_ips[0]) && typeof b.fixed_ips[0].ip_address === 'string') item.fixed_ip = b.fixed_ips[0].ip_address;
    if (typeof b.tag === 'string') item.tag = b.tag;
    if (item.port && item.uuid) throw badRequest('Must not input both network_id and port_id');
    const net = core.peers.network;
    if (item.port) {
      const port = net.repo.ports.get(item.port);
      if (!port || (!ctx.admin && port.project_id !== s.project_id)) throw notFound(`Port ${item.port} could not be found.`);
      if (port.device_id !== '') throw conflict(`Port ${item.port} is still in use.`);
    } else if (item.uuid) {
      const n = net.repo.networks.get(item.uuid);
      if (!n || (!ctx.admin && n.project_id !== s.project_id && !n.shared)) throw notFound(`Network ${item.uuid} could not be found.`);
    } else {
      const nets = net.repo.networks.list((n) => !n['router:external'] && (n.project_id === s.project_id || n.shared));
      if (nets.length !== 1) throw badRequest('Multiple possible networks found, use a Network ID to be more specific.');
      item.uuid = nets[0]!.id;
    }
    const port = await plugPort(net, s, item);
    await repo.update(s.id, (o) => ({ ...o, ports: [...o.ports, port], updated_at: core.now() }));
    await core.startAction(ctx, s.id, 'attach_interface', 'compute_attach_interface');
    await core.finishAction(s.id, 'Success', s.host);
    return { interfaceAttachment: ifaceView(port, ctx.mv) };
  });
  app.delete('/v2.1/servers/:id/os-interface/:port', async (req, reply) => {
    const ctx = ctxOf(req);
    const s = findServer(core, ctx, param(req, 'id'));
    checkUnlocked(ctx, s);
    const p = s.ports.find((x) => x.port_id === param(req, 'port'));
    if (!p) throw notFound(`Port ${param(req, 'port')} is not attached`);
    await unplugPort(core.peers.network, s, p);
    await repo.update(s.id, (o) => ({ ...o, ports: o.ports.filter((x) => x.port_id !== p.port_id), updated_at: core.now() }));
    await core.startAction(ctx, s.id, 'detach_interface', 'compute_detach_interface');
    await core.finishAction(s.id, 'Success', s.host);
    return reply.code(202).send();
  });

  // Instance actions (os-instance-actions).
  const actionView = (a: { action: string; instance_uuid: string; id: string; user_id: string; project_id: string; start_time: string; message: string | null; updated_at: string }, mv: number): Json => {
    const v: Json = {
      action: a.action, instance_uuid: a.instance_uuid, request_id: a.id.split(':')[0], user_id: a.user_id,
      project_id: a.project_id, start_time: novaMicro(a.start_time), message: a.message,
    };
    if (mv >= 58) v.updated_at = novaMicro(a.updated_at);
    return v;
  };
  const actionsOf = (req: Parameters<typeof ctxOf>[0]) => {
    const ctx = ctxOf(req);
    const id = param(req, 'id');
    const s = core.repo.servers.get(id);
    const list = core.repo.actions.byIndex('instance', id);
    // A deleted server's actions stay readable to admins (2.21+), as Nova keeps them.
    if (!s && !(ctx.admin && ctx.mv >= 21 && list.length > 0)) throw notFound(`Instance ${id} could not be found.`);
    if (s) findServer(core, ctx, id);
    return { ctx, list: list.sort((a, b) => b.start_time.localeCompare(a.start_time) || b.id.localeCompare(a.id)) };
  };
  app.get('/v2.1/servers/:id/os-instance-actions', async (req) => {
    const { ctx, list } = actionsOf(req);
    return { instanceActions: list.map((a) => actionView(a, ctx.mv)) };
  });
  app.get('/v2.1/servers/:id/os-instance-actions/:req', async (req) => {
    const { ctx, list } = actionsOf(req);
    const a = list.find((x) => x.id.split(':')[0] === param(req, 'req'));
    if (!a) throw notFound(`Action for request_id ${param(req, 'req')} on instance ${param(req, 'id')} not found`);
    const v = actionView(a, ctx.mv);
    const showEvents = computePolicy.allowed('os_compute_api:os-instance-actions:events', ctx.auth) || ctx.mv >= 51;
    if (showEvents) {
      v.events = a.events.map((e) => {
        const ev: Json = { event: e.event, start_time: novaMicro(e.start_time), finish_time: e.finish_time ? novaMicro(e.finish_time) : null, result: e.result };
        if (ctx.admin) ev.traceback = null;
        if (ctx.mv >= 62) { ev.hostId = ''; if (ctx.admin) ev.host = e.host ?? ''; }
        return ev;
      });
    }
    return { instanceAction: v };
  });

  // No guest agent sets a password: the encrypted password is always empty.
  app.get('/v2.1/servers/:id/os-server-password', async (req) => {
    findServer(core, ctxOf(req), param(req, 'id'));
    return { password: '' };
  });
  app.delete('/v2.1/servers/:id/os-server-password', async (req, reply) => {
    findServer(core, ctxOf(req), param(req, 'id'));
    return reply.code(204).send();
  });

  // Diagnostics and usage stubs some clients call.
  app.get('/v2.1/servers/:id/diagnostics', async (req) => {
    const ctx = ctxOf(req);
    if (!ctx.admin) throw forbidden('Policy doesn\'t allow os_compute_api:os-server-diagnostics to be performed.');
    const s = findServer(core, ctx, param(req, 'id'));
    return ctx.mv >= 48
      ? { state: 'running', driver: 'libvirt', hypervisor: 'qemu', hypervisor_os: 'linux', uptime: 0, config_drive: s.config_drive, num_cpus: s.flavor.vcpus, num_nics: s.ports.length, num_disks: 1, memory_details: { maximum: s.flavor.ram, used: 0 }, cpu_details: [], nic_details: [], disk_details: [] }
      : { 'cpu0_time': 0, memory: s.flavor.ram * 1024 };
  });
}
