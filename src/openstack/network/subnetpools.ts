/** Subnet pools: prefixes from which subnets get their CIDR by prefix length. */
import type { NetworkCore } from './core.js';
import { badRequest, conflict, neutronError } from './errors.js';
import { formatCidr, lastOf, overlaps, parseCidr, type Cidr } from './ip.js';
import type { StandardAttrs, SubnetPool } from './model.js';
import type { Json, ResourceDef } from './resource.js';
import { bool, cidrStr, int, list, nullableInt, nullableUuid, str } from './validate.js';

/** The first free block of `prefixlen` in the pool's prefixes, avoiding its subnets. */
export function allocatePrefix(core: NetworkCore, pool: SubnetPool, prefixlen: number): Cidr {
  if (prefixlen < pool.min_prefixlen || prefixlen > pool.max_prefixlen) {
    throw badRequest(`Illegal prefix bounds: prefixlen=${prefixlen}, min_prefixlen=${pool.min_prefixlen}, max_prefixlen=${pool.max_prefixlen}.`, 'IllegalSubnetPoolPrefixBounds');
  }
  const used = core.repo.subnets.list((s) => s.subnetpool_id === pool.id).map((s) => parseCidr(s.cidr)!);
  for (const p of pool.prefixes) {
    const prefix = parseCidr(p)!;
    if (prefix.prefix > prefixlen) continue;
    const step = 1n << BigInt((prefix.version === 4 ? 32 : 128) - prefixlen);
    for (let base = prefix.base; base + step - 1n <= lastOf(prefix); base += step) {
      const candidate: Cidr = { version: prefix.version, base, prefix: prefixlen };
      if (!used.some((u) => overlaps(u, candidate))) return candidate;
    }
  }
  throw conflict('SubnetAllocationError', 'Failed to allocate subnet: Insufficient prefix space to allocate subnet size /' + String(prefixlen) + '.');
}

export function subnetPoolDef(core: NetworkCore): ResourceDef<SubnetPool> {
  const repo = core.repo;
  const normalize = (prefixes: string[]): { cidrs: Cidr[]; version: 4 | 6 } => {
    if (prefixes.length === 0) throw badRequest('Invalid input for prefixes. Reason: no prefixes given.');
    const cidrs = prefixes.map((p) => parseCidr(p)!);
    const version = cidrs[0]!.version;
    if (cidrs.some((c) => c.version !== version)) {
      throw neutronError('BadRequest', 'PrefixVersionMismatch', 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.');
    }
    return { cidrs, version };
  };
  return {
    member: 'subnetpool',
    plural: 'subnetpools',
    path: 'subnetpools',
    collection: repo.subnetpools,
    quota: 'subnetpool',
    attrs: {
      name: { create: true, update: true, check: str(255), default: () => '' },
      prefixes: { create: true, update: true, check: list(cidrStr) },
      default_prefixlen: { create: true, update: true, check: int(0, 128) },
      min_prefixlen: { create: true, update: true, check: int(0, 128) },
      max_prefixlen: { create: true, update: true, check: int(0, 128) },
      default_quota: { create: true, update: true, check: nullableInt(0), default: () => null },
      shared: { create: true, adminOnly: true, check: bool, default: () => false },
      is_default: { create: true, update: true, adminOnly: true, check: bool, default: () => false },
      address_scope_id: { create: true, update: true, check: nullableUuid, default: () => null },
    },
    visibleToOthers: (p) => p.shared,
    view(p: SubnetPool): Json {
      const { project_id: _p, ...rest } = p;
      return rest;
    },
    create(input: Json, std: StandardAttrs): SubnetPool {
      const { cidrs, version } = normalize((input.prefixes as string[] | undefined) ?? []);
      const bits = version === 4 ? 32 : 128;
      const min = (input.min_prefixlen as number | undefined) ?? Math.min(...cidrs.map((c) => c.prefix));
      const max = (input.max_prefixlen as number | undefined) ?? bits;
      const def = (input.default_prefixlen as number | undefined) ?? min;
      if (!(min <= def && def <= max && max <= bits)) {
        throw badRequest(`Illegal prefix bounds: default_prefixlen=${def}, min_prefixlen=${min}, max_prefixlen=${max}.`, 'IllegalSubnetPoolPrefixBounds');
      }
      return {
        ...std,
        name: input.name as string,
        prefixes: cidrs.map(formatCidr),
        ip_version: version,
        default_prefixlen: def,
        min_prefixlen: min,
        max_prefixlen: max,
        default_quota: input.default_quota as number | null,
        shared: input.shared as boolean,
        is_default: input.is_default as boolean,
        address_scope_id: input.address_scope_id as string | null,
      };
    },
    update(p: SubnetPool, patch: Json): SubnetPool {
      const next = { ...p, ...(patch as Partial<SubnetPool>) };
      if (patch.prefixes) next.prefixes = normalize(patch.prefixes as string[]).cidrs.map(formatCidr);
      return next;
    },
    async beforeDelete(p: SubnetPool): Promise<void> {
      if (repo.subnets.list((s) => s.subnetpool_id === p.id).length > 0) {
        throw conflict('SubnetPoolInUse', `Unable to complete operation on subnetpool ${p.id}. Subnets are still allocated from it.`);
      }
    },
  };
}
