/**
 * Service IP and node port allocation at admission, where kube-apiserver's service REST
 * does it: a create gets a cluster IP from the service CIDR (unless headless or
 * ExternalName) and, for NodePort and LoadBalancer, a node port per port; values asked
 * for are honoured when free and in range, refused with upstream's 422 otherwise. An
 * update keeps the cluster IP (immutable once set), keeps node ports it omits, and
 * allocates what a new type needs. Reservations cover the gap between admission and the
 * informer seeing the write, so concurrent creates never get the same value.
 */
import type { Informer } from '../../../../core/reconcile/index.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../../apiserver/admission.js';
import { forbiddenField, invalid, invalidError, type FieldError } from '../../../apiserver/field-errors.js';
import { arrayAt, isObject, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import type { ResourceDefinition } from '../../../apiserver/resource.js';
import { failure } from '../../../apiserver/status.js';
import { formatIPv4, parseIPv4 } from './ipv4.js';
import type { ServiceAllocations } from './service-allocations.js';

const needsClusterIP = (type: string): boolean => type !== 'ExternalName';
const needsNodePorts = (spec: JsonObject): boolean =>
  spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);

function portsOf(spec: JsonObject): JsonObject[] {
  return (arrayAt(spec, 'ports') ?? []).filter(isObject);
}

function requestedIP(spec: JsonObject): string {
  const list = arrayAt(spec, 'clusterIPs');
  const first = list && typeof list[0] === 'string' ? list[0] : undefined;
  return first ?? stringAt(spec, 'clusterIP') ?? '';
}

function setClusterIP(spec: JsonObject, ip: string, selectorless: boolean): void {
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
  if (spec.ipFamilies === undefined) spec.ipFamilies = ['IPv4'];
  // Headless services without a selector may carry either family: upstream asks for both.
  if (spec.ipFamilyPolicy === undefined) spec.ipFamilyPolicy = ip === 'None' && selectorless ? 'RequireDualStack' : 'SingleStack';
}

export class ServiceAllocationAdmission implements AdmissionPlugin {
  readonly name = 'ServiceAllocation';

  constructor(
    private readonly services: ResourceDefinition,
    private readonly informer: Informer<KubeObject>,
    private readonly allocations: ServiceAllocations,
    private readonly now: () => number,
  ) {}

  async mutate(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.def !== this.services) return;
    // Until the informer has listed, a free-looking value may belong to a stored Service.
    await this.informer.waitForSync();
    const svc = attrs.object;
    const spec = objectAt(svc, 'spec');
    if (!spec) return;
    const owner = `${attrs.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    const oldSpec = attrs.old ? objectAt(attrs.old, 'spec') : undefined;
    const errs: FieldError[] = [];
    const reserved: { kind: 'ip' | 'port'; value: number }[] = [];
    try {
      this.defaults(spec);
      if (oldSpec) this.keepAllocated(spec, oldSpec, errs);
      if (errs.length === 0) this.allocateIP(spec, oldSpec, owner, attrs.dryRun, errs, reserved);
      if (errs.length === 0) this.allocateNodePorts(spec, oldSpec, owner, attrs.dryRun, errs, reserved);
    } catch (e) {
      this.cancel(reserved, owner);
      throw e;
    }
    if (errs.length > 0) {
      this.cancel(reserved, owner);
      throw invalidError('', 'Service', svc.metadata.name ?? '', errs);
    }
  }

  /** Fields upstream defaults once the type is known. */
  private defaults(spec: JsonObject): void {
    if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && spec.externalTrafficPolicy === undefined) spec.externalTrafficPolicy = 'Cluster';
    if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
    if (spec.type === 'ExternalName') {
      delete spec.ipFamilies;
      delete spec.ipFamilyPolicy;
    }
  }

  /**
   * An update that leaves out what was allocated keeps it (kubectl apply of a manifest
   * without clusterIP); one that changes the cluster IP is refused, as upstream does.
   */
  private keepAllocated(spec: JsonObject, old: JsonObject, errs: FieldError[]): void {
    const type = String(spec.type ?? 'ClusterIP');
    const oldIP = requestedIP(old);
    if (needsClusterIP(type) && needsClusterIP(String(old.type ?? 'ClusterIP')) && oldIP !== '') {
      const ip = requestedIP(spec);
      if (ip === '') {
        spec.clusterIP = oldIP;
        spec.clusterIPs = arrayAt(old, 'clusterIPs') ?? [oldIP];
        if (spec.ipFamilies === undefined && old.ipFamilies !== undefined) spec.ipFamilies = old.ipFamilies;
        if (spec.ipFamilyPolicy === undefined && old.ipFamilyPolicy !== undefined) spec.ipFamilyPolicy = old.ipFamilyPolicy;
      } else if (ip !== oldIP) {
        errs.push(invalid('spec.clusterIPs[0]', arrayAt(spec, 'clusterIPs') ?? [ip], 'may not change once set'));
      }
    }
    if (type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (needsNodePorts(spec)) {
      const oldPorts = portsOf(old);
      for (const p of portsOf(spec)) {
        if (numberAt(p, 'nodePort')) continue;
        const same = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP') && numberAt(o, 'nodePort'));
        if (same) p.nodePort = same.nodePort;
      }
    } else if (type === 'ClusterIP' || type === 'ExternalName') {
      // Leaving NodePort: the ports go with the type, as upstream releases them.
      const oldPorts = new Set(portsOf(old).map((o) => numberAt(o, 'nodePort')));
      for (const p of portsOf(spec)) if (p.nodePort !== undefined && oldPorts.has(numberAt(p, 'nodePort'))) delete p.nodePort;
    }
  }

  private allocateIP(spec: JsonObject, old: JsonObject | undefined, owner: string, dryRun: boolean, errs: FieldError[], reserved: { kind: 'ip' | 'port'; value: number }[]): void {
    const type = String(spec.type ?? 'ClusterIP');
    if (!needsClusterIP(type)) return;
    const selectorless = Object.keys(objectAt(spec, 'selector') ?? {}).length === 0;
    const asked = requestedIP(spec);
    if (old && asked !== '' && asked === requestedIP(old) && needsClusterIP(String(old.type ?? 'ClusterIP'))) return;
    if (asked === 'None') return setClusterIP(spec, 'None', selectorless);
    const now = this.now();
    const ips = this.allocations.ips;
    if (asked === '') {
      const n = ips.allocate(owner, now, dryRun);
      if (n === undefined) throw failure(500, 'InternalError', 'Internal error occurred: failed to allocate a serviceIP: range is full');
      if (!dryRun) reserved.push({ kind: 'ip', value: n });
      return setClusterIP(spec, formatIPv4(n), selectorless);
    }
    const n = parseIPv4(asked);
    const list = arrayAt(spec, 'clusterIPs') ?? [asked];
    if (n === undefined) {
      errs.push(invalid('spec.clusterIPs[0]', asked, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      return;
    }
    if (!ips.inRange(n)) {
      errs.push(invalid('spec.clusterIPs', list, `failed to allocate IP ${asked}: the provided IP (${asked}) is not in the valid range. The range of valid IPs is ${this.allocations.cidr.text}`));
      return;
    }
    const holder = ips.ownerOf(n, now);
    if (holder !== undefined && holder !== owner) {
      errs.push(invalid('spec.clusterIPs', list, `failed to allocate IP ${asked}: provided IP is already allocated`));
      return;
    }
    if (!dryRun && ips.reserve(n, owner, now)) reserved.push({ kind: 'ip', value: n });
    setClusterIP(spec, asked, selectorless);
  }

  private allocateNodePorts(spec: JsonObject, old: JsonObject | undefined, owner: string, dryRun: boolean, errs: FieldError[], reserved: { kind: 'ip' | 'port'; value: number }[]): void {
    const ports = portsOf(spec);
    if (!needsNodePorts(spec)) {
      if (spec.type === 'ClusterIP') {
        ports.forEach((p, i) => {
          if (numberAt(p, 'nodePort')) errs.push(forbiddenField(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
        });
      }
      return;
    }
    const now = this.now();
    const alloc = this.allocations.nodePorts;
    const range = this.allocations.nodePortRange;
    const ownedBefore = new Set(old ? portsOf(old).map((p) => numberAt(p, 'nodePort')) : []);
    const taken = new Set<number>();
    ports.forEach((p, i) => {
      const asked = numberAt(p, 'nodePort') ?? 0;
      const field = `spec.ports[${i}].nodePort`;
      if (asked === 0) {
        // The same port number under another protocol shares one node port, as upstream does.
        const twin = ports.slice(0, i).find((q) => q.port === p.port && numberAt(q, 'nodePort'));
        if (twin) {
          p.nodePort = twin.nodePort;
          return;
        }
        const n = alloc.allocate(owner, now, dryRun);
        if (n === undefined) throw failure(500, 'InternalError', 'Internal error occurred: failed to allocate a nodePort: range is full');
        if (!dryRun) reserved.push({ kind: 'port', value: n });
        p.nodePort = n;
        taken.add(n);
        return;
      }
      if (ownedBefore.has(asked) || taken.has(asked)) return;
      if (!alloc.inRange(asked)) {
        errs.push(invalid(field, asked, `provided port is not in the valid range. The range of valid ports is ${range.min}-${range.max}`));
        return;
      }
      const holder = alloc.ownerOf(asked, now);
      if (holder !== undefined && holder !== owner) {
        errs.push(invalid(field, asked, 'provided port is already allocated'));
        return;
      }
      if (!dryRun && alloc.reserve(asked, owner, now)) reserved.push({ kind: 'port', value: asked });
      taken.add(asked);
    });
  }

  private cancel(reserved: { kind: 'ip' | 'port'; value: number }[], owner: string): void {
    for (const r of reserved) (r.kind === 'ip' ? this.allocations.ips : this.allocations.nodePorts).cancel(r.value, owner);
  }
}
