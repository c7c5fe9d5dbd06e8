/**
 * What one pod contributes behind one Service: its address, readiness and the ports the
 * Service's ports resolve to on it (a named targetPort is looked up among the pod's
 * container ports). Shared by the Endpoints and EndpointSlice controllers, which differ
 * only in how they group and write the result.
 */
import { arrayAt, isObject, numberAt, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';

export interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface PodEndpoint {
  ip: string;
  pod: { namespace: string; name: string; uid: string };
  nodeName?: string;
  hostname?: string;
  /** The pod's Ready condition is True. */
  podReady: boolean;
  /** The Service publishes not-ready addresses: every endpoint counts as ready. */
  publishNotReady: boolean;
  /** Being deleted. */
  terminating: boolean;
  /** Ports resolved on this pod, in the Service's port order; ports that do not resolve are left out. */
  ports: EndpointPort[];
}

export interface ServiceView {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  ports: JsonObject[];
  publishNotReadyAddresses: boolean;
  headless: boolean;
  labels: Record<string, string>;
  uid: string;
}

/** The parts of a Service these controllers use; undefined when it has no endpoints to manage. */
export function serviceView(svc: KubeObject): ServiceView | undefined {
  const spec = objectAt(svc, 'spec') ?? {};
  const selector = objectAt(spec, 'selector');
  // Without a selector the endpoints are someone else's to write; ExternalName has none.
  if (!selector || Object.keys(selector).length === 0 || spec.type === 'ExternalName') return undefined;
  return {
    namespace: svc.metadata.namespace ?? '',
    name: svc.metadata.name ?? '',
    selector: Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)])),
    ports: (arrayAt(spec, 'ports') ?? []).filter(isObject),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    headless: spec.clusterIP === 'None',
    labels: svc.metadata.labels ?? {},
    uid: svc.metadata.uid ?? '',
  };
}

export function selects(selector: Record<string, string>, pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

export function podReady(pod: KubeObject): boolean {
  const conditions = arrayAt(objectAt(pod, 'status') ?? {}, 'conditions') ?? [];
  return conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
}

/** The container port a Service port's targetPort names on this pod, or undefined. */
export function resolvePort(pod: KubeObject, servicePort: JsonObject): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = stringAt(servicePort, 'protocol') ?? 'TCP';
  const spec = objectAt(pod, 'spec') ?? {};
  for (const c of (arrayAt(spec, 'containers') ?? []).filter(isObject)) {
    for (const p of (arrayAt(c, 'ports') ?? []).filter(isObject)) {
      if (p.name === target && (stringAt(p, 'protocol') ?? 'TCP') === protocol) return numberAt(p, 'containerPort');
    }
  }
  return undefined;
}

/**
 * The pod's endpoint, or undefined when it must not appear: no IP yet, finished, or
 * (unless includeTerminating) being deleted.
 */
export function podEndpoint(svc: ServiceView, pod: KubeObject, includeTerminating: boolean): PodEndpoint | undefined {
  const status = objectAt(pod, 'status') ?? {};
  const ip = stringAt(status, 'podIP');
  if (!ip) return undefined;
  const phase = status.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  if (terminating && !includeTerminating) return undefined;
  const spec = objectAt(pod, 'spec') ?? {};
  const ports: EndpointPort[] = [];
  for (const sp of svc.ports) {
    const port = resolvePort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: stringAt(sp, 'name') ?? '', port, protocol: stringAt(sp, 'protocol') ?? 'TCP' };
    const appProtocol = stringAt(sp, 'appProtocol');
    if (appProtocol) ep.appProtocol = appProtocol;
    ports.push(ep);
  }
  const out: PodEndpoint = {
    ip,
    pod: { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    podReady: podReady(pod),
    publishNotReady: svc.publishNotReadyAddresses,
    terminating,
    ports,
  };
  const nodeName = stringAt(spec, 'nodeName');
  if (nodeName) out.nodeName = nodeName;
  // A pod is addressable by hostname under the Service that is its subdomain.
  const hostname = stringAt(spec, 'hostname');
  if (hostname && spec.subdomain === svc.name) out.hostname = hostname;
  return out;
}

/** One key per distinct resolved port set: endpoints with the same ports group together. */
export const portsKey = (ports: readonly EndpointPort[]): string =>
  JSON.stringify([...ports].sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port || a.protocol.localeCompare(b.protocol)));

export const targetRef = (e: PodEndpoint): JsonObject => ({ kind: 'Pod', namespace: e.pod.namespace, name: e.pod.name, uid: e.pod.uid });
