/**
 * What every Service holds of the cluster's shared ranges — its cluster IP and its node
 * ports — kept from the services informer, so the allocations are rebuilt from the store
 * on every start and freed when a Service is deleted or stops needing them.
 */
import type { Informer } from '../../../../core/reconcile/index.js';
import { arrayAt, isObject, numberAt, objectAt, stringAt, type KubeObject } from '../../../apiserver/object.js';
import { formatIPv4, parseCidr, parseIPv4, type Cidr } from './ipv4.js';
import { RangeAllocator } from './range-allocator.js';

export const defaultServiceCidr = '10.96.0.0/12';
export const defaultNodePortRange = { min: 30000, max: 32767 };
/** A reservation whose Service never appeared in the store is forgotten after this long. */
const reservationTtlMs = 60_000;

interface Held {
  ips: number[];
  ports: number[];
}

/** The cluster IP and node ports a stored Service holds. */
export function heldBy(svc: KubeObject): { ips: string[]; ports: number[] } {
  const spec = objectAt(svc, 'spec') ?? {};
  const ipList = (arrayAt(spec, 'clusterIPs') ?? []).filter((x): x is string => typeof x === 'string');
  const ips = ipList.length > 0 ? ipList : [stringAt(spec, 'clusterIP') ?? ''];
  const ports = (arrayAt(spec, 'ports') ?? [])
    .filter(isObject)
    .map((p) => numberAt(p, 'nodePort') ?? 0)
    .filter((n) => n > 0);
  const health = numberAt(spec, 'healthCheckNodePort');
  if (health !== undefined && health > 0) ports.push(health);
  return { ips: ips.filter((ip) => ip !== '' && ip !== 'None'), ports };
}

/** How the static band upstream leaves for requested values is sized: size/divisor, clamped. */
function staticBand(size: number, min: number, max: number, divisor: number): number {
  return Math.min(Math.max(min, Math.floor(size / divisor)), max);
}

export class ServiceAllocations {
  readonly cidr: Cidr;
  readonly ips: RangeAllocator;
  readonly nodePorts: RangeAllocator;
  readonly nodePortRange: { min: number; max: number };
  private readonly byService = new Map<string, Held>();

  constructor(opts: { serviceCidr?: string; nodePortRange?: { min: number; max: number } } = {}) {
    this.cidr = parseCidr(opts.serviceCidr ?? defaultServiceCidr);
    const usable = this.cidr.size - 2;
    this.ips = new RangeAllocator({
      min: this.cidr.base + 1,
      max: this.cidr.base + this.cidr.size - 2,
      dynamicStart: this.cidr.base + 1 + staticBand(usable, 16, 256, 16),
      reservationTtlMs,
    });
    this.nodePortRange = opts.nodePortRange ?? defaultNodePortRange;
    const { min, max } = this.nodePortRange;
    this.nodePorts = new RangeAllocator({ min, max, dynamicStart: min + staticBand(max - min + 1, 16, 128, 32), reservationTtlMs });
  }

  /** The first address of the range: the `kubernetes` Service's. */
  firstIP(): string {
    return formatIPv4(this.cidr.base + 1);
  }

  /** Follow the services informer: what is stored is held, what is gone is freed. */
  track(informer: Informer<KubeObject>, ownerOf: (svc: KubeObject) => string): void {
    informer.addHandler({
      onAdd: (_k, svc) => this.observe(ownerOf(svc), svc),
      onUpdate: (_k, _old, svc) => this.observe(ownerOf(svc), svc),
      onDelete: (_k, svc) => this.forget(ownerOf(svc)),
    });
  }

  observe(owner: string, svc: KubeObject): void {
    const { ips, ports } = heldBy(svc);
    const next: Held = { ips: ips.map(parseIPv4).filter((n): n is number => n !== undefined && this.ips.inRange(n)), ports: ports.filter((p) => this.nodePorts.inRange(p)) };
    const prev = this.byService.get(owner);
    for (const ip of prev?.ips ?? []) if (!next.ips.includes(ip)) this.ips.release(ip, owner);
    for (const port of prev?.ports ?? []) if (!next.ports.includes(port)) this.nodePorts.release(port, owner);
    for (const ip of next.ips) this.ips.hold(ip, owner);
    for (const port of next.ports) this.nodePorts.hold(port, owner);
    this.byService.set(owner, next);
  }

  forget(owner: string): void {
    const prev = this.byService.get(owner);
    if (!prev) return;
    for (const ip of prev.ips) this.ips.release(ip, owner);
    for (const port of prev.ports) this.nodePorts.release(port, owner);
    this.byService.delete(owner);
  }
}
