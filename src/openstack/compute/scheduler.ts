/**
 * Nova's filter scheduler over Placement's allocation candidates: filters (availability
 * zone, forced host, enabled and up compute service, server group affinity and
 * anti-affinity, image properties, compute capabilities) and then a weigher that spreads
 * by free RAM (soft group policies weigh too). Pure: the caller claims in Placement in
 * the returned order, trying the next host when a claim loses a race.
 */
import type { Candidates } from '../placement/candidates.js';

export interface HostInfo {
  name: string;
  zone: string;
  /** Compute service enabled, not forced down, hypervisor answering. */
  usable: boolean;
}

export interface GroupConstraint {
  policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';
  /** Hosts of the group's other members (a host repeats per member). */
  memberHosts: string[];
  maxServerPerHost?: number;
}

export interface ScheduleRequest {
  zone?: string | null;
  forcedHost?: string | null;
  group?: GroupConstraint | null;
  /** Hosts never to pick (the source of a migration). */
  ignoreHosts?: string[];
  imageProperties?: Record<string, unknown>;
  flavorExtraSpecs?: Record<string, string>;
}

/** Host capabilities the simulated fleet reports (what ComputeCapabilitiesFilter matches). */
export const HOST_CAPABILITIES: Readonly<Record<string, string>> = {
  hypervisor_type: 'QEMU', cpu_info_arch: 'x86_64', 'cpu_info:arch': 'x86_64', hypervisor_version: '8002000',
};

const IMAGE_ARCHES = new Set(['x86_64', 'i686', 'amd64']);
const IMAGE_HV_TYPES = new Set(['qemu', 'kvm']);

/** ImagePropertiesFilter: an image asking for another architecture or hypervisor fits no host. */
export function imageFits(props: Record<string, unknown> = {}): boolean {
  const arch = props.architecture ?? props.hw_architecture;
  if (typeof arch === 'string' && !IMAGE_ARCHES.has(arch.toLowerCase())) return false;
  const hv = props.img_hv_type ?? props.hypervisor_type;
  if (typeof hv === 'string' && !IMAGE_HV_TYPES.has(hv.toLowerCase())) return false;
  return true;
}

/** ComputeCapabilitiesFilter on `capabilities:` scoped (and unscoped known) extra specs. */
export function capabilitiesFit(specs: Record<string, string> = {}): boolean {
  for (const [key, wanted] of Object.entries(specs)) {
    const name = key.startsWith('capabilities:') ? key.slice('capabilities:'.length) : key;
    if (!key.startsWith('capabilities:') && !(name in HOST_CAPABILITIES)) continue;
    const have = HOST_CAPABILITIES[name];
    if (have === undefined) return false;
    const w = wanted.replace(/^(s==|=|<in>)\s*/, '').trim();
    if (w !== '' && have.toLowerCase() !== w.toLowerCase()) return false;
  }
  return true;
}

/** Host names in the order to try: filtered, then weighed (most free RAM first). */
export function rankHosts(
  candidates: Candidates,
  hostOfProvider: (rp: string) => HostInfo | undefined,
  req: ScheduleRequest,
): string[] {
  if (!imageFits(req.imageProperties) || !capabilitiesFit(req.flavorExtraSpecs)) return [];
  const scored: { name: string; score: number }[] = [];
  const g = req.group;
  const count = (host: string) => (g ? g.memberHosts.filter((h) => h === host).length : 0);
  for (const rp of candidates.providers) {
    const h = hostOfProvider(rp);
    if (!h || !h.usable) continue;
    if (req.zone && h.zone !== req.zone) continue;
    if (req.forcedHost && h.name !== req.forcedHost) continue;
    if (req.ignoreHosts?.includes(h.name)) continue;
    if (g?.policy === 'affinity' && g.memberHosts.length > 0 && !g.memberHosts.includes(h.name)) continue;
    if (g?.policy === 'anti-affinity' && count(h.name) >= (g.maxServerPerHost ?? 1)) continue;
    const mem = candidates.summaries[rp]?.resources.MEMORY_MB;
    let score = mem ? mem.capacity - mem.used : 0;
    // Soft policies weigh far above RAM so they decide whenever they can.
    if (g?.policy === 'soft-affinity') score += count(h.name) * 1e9;
    if (g?.policy === 'soft-anti-affinity') score -= count(h.name) * 1e9;
    scored.push({ name: h.name, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).map((s) => s.name);
}
