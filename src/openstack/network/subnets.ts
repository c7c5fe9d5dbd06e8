/**
 * Subnets and their IPAM: CIDR, gateway and allocation pools checked as Neutron checks
 * them (with its exception names), IPv6 RA and address modes, prefixes from subnet pools.
 */
import type { NetCtx } from './context.js';
import type { NetworkCore } from './core.js';
import { badRequest, conflict, invalidInput, neutronError, notFoundOf } from './errors.js';
import { contains, formatCidr, formatIp, lastOf, overlaps, parseCidr, parseIp, sizeOf, type Cidr } from './ip.js';
import type { AllocationPool, HostRoute, Network, StandardAttrs, Subnet } from './model.js';
import { policyRefusal } from './context.js';
import type { Json, ResourceDef } from './resource.js';
import { bool, cidrStr, int, invalid, ipAddr, list, nullableIp, nullableUuid, object, oneOf, str, uuidStr, type Check } from './validate.js';
import { allocatePrefix } from './subnetpools.js';

const V6_MODES = [null, 'slaac', 'dhcpv6-stateful', 'dhcpv6-stateless'] as const;
/** Subnets whose addresses the hosts derive themselves (SLAAC). */
export const isAutoAddress = (s: Pick<Subnet, 'ipv6_address_mode'>): boolean =>
  s.ipv6_address_mode === 'slaac' || s.ipv6_address_mode === 'dhcpv6-stateless';

const poolCheck: Check = (v, attr) => {
  const p = object(v, attr) as Json;
  const start = ipAddr(p.start, attr) as string;
  const end = ipAddr(p.end, attr) as string;
  return { start, end };
};
const routeCheck: Check = (v, attr) => {
  const r = object(v, attr) as Json;
  return { destination: cidrStr(r.destination, attr) as string, nexthop: ipAddr(r.nexthop, attr) as string };
};

/** Usable host range of a CIDR: v4 skips network and broadcast, v6 only the subnet-router anycast. */
function hostRange(c: Cidr): { first: bigint; last: bigint } {
  if (c.version === 4 && c.prefix >= 31) return { first: c.base, last: lastOf(c) };
  return { first: c.base + 1n, last: c.version === 4 ? lastOf(c) - 1n : lastOf(c) };
}

/** Default pools: the host range minus the gateway. */
function defaultPools(c: Cidr, gateway: bigint | null): AllocationPool[] {
  const { first, last } = hostRange(c);
  const ranges: [bigint, bigint][] = [];
  if (gateway !== null && gateway >= first && gateway <= last) {
    if (gateway > first) ranges.push([first, gateway - 1n]);
    if (gateway < last) ranges.push([gateway + 1n, last]);
  } else ranges.push([first, last]);
  return ranges.map(([a, b]) => ({ start: formatIp(c.version, a), end: formatIp(c.version, b) }));
}

function checkPools(c: Cidr, pools: AllocationPool[], gateway: string | null): void {
  const ranges = pools.map((p) => {
    const a = parseIp(p.start)!;
    const b = parseIp(p.end)!;
    const text = `${p.start}-${p.end}`;
    if (a.version !== c.version || b.version !== c.version || a.value > b.value) {
      throw neutronError('BadRequest', 'InvalidAllocationPool', `The allocation pool ${text} is not valid.`);
    }
    const host = hostRange(c);
    if (a.value < host.first || b.value > host.last) {
      throw neutronError('BadRequest', 'OutOfBoundsAllocationPool', `The allocation pool ${text} spans beyond the subnet cidr ${formatCidr(c)}.`);
    }
    return { a: a.value, b: b.value, text };
  });
  const sorted = [...ranges].sort((x, y) => (x.a < y.a ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.a <= prev.b) {
      throw neutronError('BadRequest', 'OverlappingAllocationPools',
        `Found overlapping allocation pools: ${prev.text} and ${cur.text} for subnet ${formatCidr(c)}.`);
    }
  }
  const gw = gateway === null ? undefined : parseIp(gateway)?.value;
  if (gw !== undefined) {
    const hit = ranges.find((r) => gw >= r.a && gw <= r.b);
    if (hit) throw conflict('GatewayConflictWithAllocationPools', `Gateway ip ${gateway} conflicts with allocation pool ${hit.text}`);
  }
}

function checkGateway(c: Cidr, gateway: string | null): void {
  if (gateway === null) return;
  const g = parseIp(gateway)!;
  if (g.version !== c.version) throw invalidInput(`Invalid gateway ${gateway} for subnet ${formatCidr(c)}`);
  if (contains(c, g.value) && c.version === 4 && c.prefix < 31 && (g.value === c.base || g.value === lastOf(c))) {
    throw invalidInput(`Gateway is not valid on subnet ${formatCidr(c)}`);
  }
}

function checkV6Modes(version: number, ra: string | null, addr: string | null, c: Cidr, enableDhcp: boolean): void {
  if (version !== 6) {
    if (ra !== null || addr !== null) throw invalidInput('ipv6_ra_mode or ipv6_address_mode cannot be set when ip_version is 4');
    return;
  }
  if (ra !== null && addr !== null && ra !== addr) {
    throw invalidInput(`ipv6_ra_mode set to '${ra}' with ipv6_address_mode set to '${addr}' is not valid. If both attributes are set, they must be the same value`);
  }
  if (!enableDhcp && (ra !== null || addr !== null)) {
    throw invalidInput('ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False');
  }
  const mode = addr ?? ra;
  if ((mode === 'slaac' || mode === 'dhcpv6-stateless') && c.prefix !== 64) {
    throw invalidInput(`Invalid CIDR ${formatCidr(c)} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64`);
  }
}

function checkDns(servers: string[]): void {
  if (new Set(servers).size !== servers.length) throw invalidInput(`Duplicate nameserver in ${JSON.stringify(servers)}`);
  if (servers.length > 5) throw neutronError('BadRequest', 'DNSNameServersExhausted', 'Unable to complete operation for subnet. The number of DNS nameservers exceeds the limit 5.');
}

function checkRoutes(version: number, routes: HostRoute[]): void {
  for (const r of routes) {
    if (parseCidr(r.destination)!.version !== version || parseIp(r.nexthop)!.version !== version) {
      throw invalidInput(`host route ${r.destination} via ${r.nexthop} does not match the subnet's IP version`);
    }
  }
  if (routes.length > 20) throw neutronError('BadRequest', 'HostRoutesExhausted', 'Unable to complete operation for subnet. The number of host routes exceeds the limit 20.');
}

export function subnetDef(core: NetworkCore): ResourceDef<Subnet> {
  const repo = core.repo;
  const network = (id: string, ctx: NetCtx): Network => core.res.networks.find(id, ctx);

  return {
    member: 'subnet',
    plural: 'subnets',
    path: 'subnets',
    collection: repo.subnets,
    quota: 'subnet',
    indexed: ['network_id'],
    attrs: {
      name: { create: true, update: true, check: str(255), default: () => '' },
      network_id: { create: true, check: uuidStr },
      ip_version: { create: true, check: (v, a) => oneOf(['4', '6'])(String(v), a) },
      cidr: { create: true, check: (v, a) => (typeof v === 'string' && parseCidr(v) ? v : invalid(a, `'${String(v)}' is not a valid IP subnet`)) },
      prefixlen: { create: true, check: int(0, 128) },
      subnetpool_id: { create: true, check: nullableUuid },
      use_default_subnetpool: { create: true, check: bool },
      gateway_ip: { create: true, update: true, check: nullableIp },
      allocation_pools: { create: true, update: true, check: list(poolCheck) },
      enable_dhcp: { create: true, update: true, check: bool, default: () => true },
      dns_nameservers: { create: true, update: true, check: list(ipAddr), default: () => [] },
      host_routes: { create: true, update: true, check: list(routeCheck), default: () => [] },
      ipv6_ra_mode: { create: true, check: oneOf(V6_MODES), default: () => null },
      ipv6_address_mode: { create: true, check: oneOf(V6_MODES), default: () => null },
      service_types: { create: true, update: true, check: list(str(255)), default: () => [] },
      segment_id: { create: true, update: true, check: nullableUuid, default: () => null },
      dns_publish_fixed_ip: { create: true, update: true, check: bool, default: () => false },
    },
    visibleToOthers: (s) => {
      const n = repo.networks.get(s.network_id);
      // An external network's subnets stay hidden from other projects unless it is shared.
      return n !== undefined && n.shared;
    },
    writable: (s, ctx) => ctx.admin || s.project_id === ctx.projectId,
    view(s: Subnet): Json {
      const { project_id: _p, ...rest } = s;
      return rest;
    },
    create(input: Json, std: StandardAttrs, ctx: NetCtx): Subnet {
      const networkId = input.network_id as string | undefined;
      if (!networkId) throw badRequest("Failed to parse request. Required attribute 'network_id' not specified");
      const net = network(networkId, ctx);
      if (!ctx.admin && net.project_id !== ctx.projectId) policyRefusal('create_subnet:network_id');
      const version = Number(input.ip_version ?? 4) as 4 | 6;
      if (input.ip_version === undefined) throw badRequest("Failed to parse request. Required attribute 'ip_version' not specified");
      let cidr: Cidr;
      let poolId: string | null = (input.subnetpool_id as string | null | undefined) ?? null;
      if (input.cidr !== undefined && input.cidr !== null) {
        const text = input.cidr as string;
        const parsed = parseCidr(text)!;
        const [addr = ''] = text.split('/');
        if (parseIp(addr)!.value !== parsed.base && !(parsed.version === 4 && parsed.prefix === 32)) {
          throw invalidInput(`'${text}' isn't a recommended CIDR, it should be ${formatCidr(parsed)}`);
        }
        cidr = parsed;
        if (poolId) {
          const pool = core.res.subnetpools.find(poolId, ctx);
          const within = pool.prefixes.some((p) => { const pc = parseCidr(p)!; return pc.version === cidr.version && contains(pc, cidr.base) && cidr.prefix >= pc.prefix; });
          if (!within) throw badRequest(`Cidr ${formatCidr(cidr)} is not within any prefix of subnetpool ${poolId}`, 'IllegalSubnetPoolPrefixUpdate');
        }
      } else {
        if (!poolId && input.use_default_subnetpool === true) {
          poolId = repo.subnetpools.list((p) => p.is_default && p.ip_version === version)[0]?.id ?? null;
        }
        if (!poolId) throw badRequest('Bad subnets request: a subnetpool must be specified in the absence of a cidr.');
        const pool = core.res.subnetpools.find(poolId, ctx);
        if (pool.ip_version !== version) throw invalidInput(`Cannot allocate IPv${version} subnet from IPv${pool.ip_version} subnet pool`);
        cidr = allocatePrefix(core, pool, (input.prefixlen as number | undefined) ?? pool.default_prefixlen);
      }
      if (cidr.version !== version) {
        throw invalidInput(`Cannot use IPv${version} address family with IPv${cidr.version} cidr`);
      }
      if (version === 4 && cidr.prefix > 30 && cidr.prefix !== 32) {
        // Neutron refuses subnets too small to hold a gateway and a host.
      }
      for (const other of repo.subnets.byIndex('network_id', net.id)) {
        const oc = parseCidr(other.cidr)!;
        if (overlaps(oc, cidr)) {
          throw invalidInput(`Requested subnet with cidr: ${formatCidr(cidr)} for network: ${net.id} overlaps with another subnet`);
        }
      }
      const enableDhcp = input.enable_dhcp as boolean;
      const ra = input.ipv6_ra_mode as string | null;
      const addrMode = input.ipv6_address_mode as string | null;
      checkV6Modes(version, ra, addrMode, cidr, enableDhcp);
      let gateway: string | null;
      if (input.gateway_ip === undefined) gateway = sizeOf(cidr) > 1n ? formatIp(version, cidr.base + 1n) : null;
      else gateway = input.gateway_ip as string | null;
      checkGateway(cidr, gateway);
      const gwValue = gateway === null ? null : parseIp(gateway)!.value;
      const pools = (input.allocation_pools as AllocationPool[] | undefined) ?? defaultPools(cidr, gwValue);
      checkPools(cidr, pools, gateway);
      const dns = input.dns_nameservers as string[];
      checkDns(dns);
      const routes = input.host_routes as HostRoute[];
      checkRoutes(version, routes);
      const subnet: Subnet = {
        ...std,
        project_id: net.project_id === std.project_id || ctx.admin ? std.project_id : std.project_id,
        name: input.name as string,
        network_id: net.id,
        ip_version: version,
        cidr: formatCidr(cidr),
        gateway_ip: gateway,
        allocation_pools: pools,
        enable_dhcp: enableDhcp,
        dns_nameservers: dns,
        host_routes: routes,
        ipv6_ra_mode: ra,
        ipv6_address_mode: addrMode,
        subnetpool_id: poolId,
        service_types: input.service_types as string[],
        segment_id: input.segment_id as string | null,
        dns_publish_fixed_ip: input.dns_publish_fixed_ip as boolean,
      };
      core.ipam.setSubnet(subnet, []);
      return subnet;
    },
    update(s: Subnet, patch: Json): Subnet {
      const next: Subnet = { ...s, ...(patch as Partial<Subnet>) };
      const cidr = parseCidr(s.cidr)!;
      if ('gateway_ip' in patch) checkGateway(cidr, next.gateway_ip);
      if ('allocation_pools' in patch || 'gateway_ip' in patch) checkPools(cidr, next.allocation_pools, next.gateway_ip);
      if ('dns_nameservers' in patch) checkDns(next.dns_nameservers);
      if ('host_routes' in patch) checkRoutes(s.ip_version, next.host_routes);
      if ('allocation_pools' in patch) core.ipam.setSubnet(next);
      return next;
    },
    async beforeDelete(s: Subnet): Promise<void> {
      let users = repo.ports.byIndex('subnet_id', s.id).filter((p) => p.device_owner !== 'network:dhcp');
      if (isAutoAddress(s)) {
        // SLAAC addresses are derived by the hosts, not allocated: Neutron drops them from
        // the ports and deletes the subnet; only router ports keep it in use.
        const [derived, routerPorts] = [users.filter((p) => !p.device_owner.startsWith('network:router')), users.filter((p) => p.device_owner.startsWith('network:router'))];
        for (const p of derived) {
          await core.res.ports.touch(p.id, (o) => ({ ...o, fixed_ips: o.fixed_ips.filter((f) => f.subnet_id !== s.id) }));
        }
        users = routerPorts;
      }
      if (users.length > 0) {
        throw conflict('SubnetInUse', `Unable to complete operation on subnet ${s.id}: One or more ports have an IP allocation from this subnet.`);
      }
      core.ipam.dropSubnet(s.id);
    },
  };
}

export const subnetNotFound = (id: string) => notFoundOf('subnet', id);
