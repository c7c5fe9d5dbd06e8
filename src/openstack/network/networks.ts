/** Networks: shared and external visibility, MTU, provider segments for admins, AZs. */
import type { NetCtx } from './context.js';
import type { NetworkCore } from './core.js';
import { conflict, invalidInput } from './errors.js';
import type { Network, StandardAttrs } from './model.js';
import type { Json, ResourceDef } from './resource.js';
import { bool, int, list, nullableInt, nullableStr, oneOf, str } from './validate.js';

/** vxlan tenant networks: 1500 minus the 50-byte VXLAN overhead. */
export const TENANT_MTU = 1450;
const NETWORK_TYPES = ['vxlan', 'vlan', 'flat', 'geneve', 'local'] as const;

/** Device owners whose ports go with their network (Neutron removes them itself). */
/** Ports Neutron removes with their network: DHCP ports and the floating IPs' own ports. */
const NETWORK_OWNED = new Set(['network:dhcp', 'network:floatingip']);

export function networkDef(core: NetworkCore): ResourceDef<Network> {
  const repo = core.repo;

  const allocateSegment = async (type: string, given: number | null): Promise<number | null> => {
    if (type === 'flat' || type === 'local') return null;
    const used = new Set(repo.segments.list((s) => s.network_type === type).map((s) => s.segmentation_id));
    const max = type === 'vlan' ? 4094 : 16_777_215;
    if (given !== null) {
      if (given < 1 || given > max) throw invalidInput(`segmentation_id ${given} out of range for ${type}`);
      if (used.has(given)) {
        throw conflict('SegmentationIdInUse', `Unable to create the network. The ${type} segmentation ID ${given} is in use.`);
      }
      return given;
    }
    for (let id = 1; id <= max; id++) if (!used.has(id)) return id;
    throw conflict('NoNetworkAvailable', 'Unable to create the network. No tenant network is available for allocation.');
  };

  return {
    member: 'network',
    plural: 'networks',
    path: 'networks',
    collection: repo.networks,
    quota: 'network',
    attrs: {
      name: { create: true, update: true, check: str(255), default: () => '' },
      admin_state_up: { create: true, update: true, check: bool, default: () => true },
      shared: { create: true, update: true, adminOnly: true, check: bool, default: () => false },
      'router:external': { create: true, update: true, adminOnly: true, check: bool, default: () => false },
      mtu: { create: true, update: true, check: int(68, 9000) },
      port_security_enabled: { create: true, update: true, check: bool, default: () => true },
      availability_zone_hints: { create: true, check: list(str(255)), default: () => [] },
      'provider:network_type': { create: true, adminOnly: true, check: oneOf(NETWORK_TYPES) },
      'provider:physical_network': { create: true, adminOnly: true, check: nullableStr(64) },
      'provider:segmentation_id': { create: true, adminOnly: true, check: nullableInt(0) },
      dns_domain: { create: true, update: true, check: str(255), default: () => '' },
      is_default: { create: true, update: true, adminOnly: true, check: bool, default: () => false },
    },
    visibleToOthers: (n) => n.shared || n['router:external'],
    view(n: Network, ctx: NetCtx): Json {
      const { project_id: _p, ...rest } = n;
      const v: Json = {
        ...rest,
        subnets: repo.subnets.byIndex('network_id', n.id).map((s) => s.id),
        availability_zones: n.availability_zone_hints.length ? n.availability_zone_hints : core.zones().slice(0, 1),
        ipv4_address_scope: null,
        ipv6_address_scope: null,
        l2_adjacency: true,
      };
      if (!ctx.admin) {
        delete v['provider:network_type'];
        delete v['provider:physical_network'];
        delete v['provider:segmentation_id'];
      }
      return v;
    },
    async create(input: Json, std: StandardAttrs): Promise<Network> {
      const zones = core.zones();
      const hints = input.availability_zone_hints as string[];
      for (const z of hints) {
        if (!zones.includes(z)) throw invalidInput(`AvailabilityZone ${z} could not be found`);
      }
      const type = (input['provider:network_type'] as string | undefined) ?? 'vxlan';
      const physnet = (input['provider:physical_network'] as string | null | undefined) ?? null;
      if ((type === 'vlan' || type === 'flat') && !physnet) {
        throw invalidInput(`physical_network required for ${type} provider network`);
      }
      const seg = await allocateSegment(type, (input['provider:segmentation_id'] as number | null | undefined) ?? null);
      if (seg !== null) await repo.segments.create({ id: `${type}-${seg}`, network_type: type, segmentation_id: seg });
      const mtu = (input.mtu as number | undefined) ?? (type === 'vxlan' || type === 'geneve' ? TENANT_MTU : 1500);
      return {
        ...std,
        name: input.name as string,
        admin_state_up: input.admin_state_up as boolean,
        shared: input.shared as boolean,
        'router:external': input['router:external'] as boolean,
        mtu,
        port_security_enabled: input.port_security_enabled as boolean,
        availability_zone_hints: hints,
        status: 'ACTIVE',
        'provider:network_type': type,
        'provider:physical_network': physnet,
        'provider:segmentation_id': seg,
        dns_domain: input.dns_domain as string,
        is_default: input.is_default as boolean,
      };
    },
    update(n: Network, patch: Json): Network {
      return { ...n, ...(patch as Partial<Network>) };
    },
    async beforeDelete(n: Network, ctx: NetCtx): Promise<void> {
      const ports = repo.ports.byIndex('network_id', n.id);
      const inUse = ports.filter((p) => !NETWORK_OWNED.has(p.device_owner));
      if (inUse.length > 0) {
        throw conflict('NetworkInUse', `Unable to complete operation on network ${n.id}. There are one or more ports still in use on the network.`);
      }
      // Unassociated floating IPs of an external network go with it, as in Neutron.
      for (const f of repo.floatingips.list((x) => x.floating_network_id === n.id)) {
        await core.res.floatingips.def.beforeDelete?.(f, ctx);
        await repo.floatingips.delete(f.id);
      }
      for (const p of repo.ports.byIndex('network_id', n.id)) await core.res.ports.def.beforeDelete?.(p, ctx).then(() => repo.ports.delete(p.id));
      for (const s of repo.subnets.byIndex('network_id', n.id)) {
        core.ipam.dropSubnet(s.id);
        await repo.subnets.delete(s.id);
      }
      const seg = n['provider:segmentation_id'];
      if (seg !== null) await repo.segments.deleteIfExists(`${n['provider:network_type']}-${seg}`);
    },
  };
}
