/**
 * The `kubernetes` Service in namespace default — how pods find the API server — with its
 * Endpoints and EndpointSlice pointing at the server, as kube-apiserver's own endpoint
 * reconciler keeps them. Created at start and put back if deleted or changed.
 */
import type { Reconciler, ReconcileResult } from '../../../../core/reconcile/index.js';
import { isObject, type KubeObject } from '../../../apiserver/object.js';
import type { Registry } from '../../../apiserver/registry.js';
import type { ResourceDefinition } from '../../../apiserver/resource.js';
import { endpoints } from '../../../apiserver/resources/endpoints.js';
import { endpointslices } from '../../../apiserver/resources/endpointslices.js';
import { services } from '../../../apiserver/resources/services.js';
import { hasReason } from '../errors.js';

export const kubernetesServiceKey = 'default/kubernetes';
/** Where the server's endpoints point: this process. */
const serverAddress = '127.0.0.1';

export interface KubernetesServiceOptions {
  clusterIP: string;
  /** The API server's port once listening, undefined until then; without it 6443 is written. */
  apiServerPort?: () => number | undefined;
}

export class KubernetesServiceReconciler implements Reconciler {
  readonly name = 'kubernetes-service';

  constructor(
    private readonly registry: Registry,
    private readonly opts: KubernetesServiceOptions,
  ) {}

  /** Only the `kubernetes` objects in default wake this reconciler. */
  static keysFor = (_key: string, o: KubeObject): string[] =>
    o.metadata.namespace === 'default' && o.metadata.name === 'kubernetes' ? [kubernetesServiceKey] : [];

  async reconcile(): Promise<ReconcileResult> {
    const port = this.opts.apiServerPort?.();
    const targetPort = port ?? 6443;
    await this.ensureService(targetPort);
    await this.ensure(endpoints, {
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: serverAddress }], ports: [{ name: 'https', port: targetPort, protocol: 'TCP' }] }],
    }, ['subsets']);
    await this.ensure(endpointslices, {
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [serverAddress], conditions: { ready: true } }],
      ports: [{ name: 'https', port: targetPort, protocol: 'TCP' }],
    }, ['endpoints', 'ports']);
    // The port is known once the listener is up, just after the controllers start.
    return port === undefined && this.opts.apiServerPort ? { requeueAfterMs: 200 } : {};
  }

  private async ensureService(targetPort: number): Promise<void> {
    const ports = [{ name: 'https', port: 443, protocol: 'TCP', targetPort }];
    try {
      const current = await this.registry.get(services, 'default', 'kubernetes');
      const spec = isObject(current.spec) ? current.spec : {};
      if (JSON.stringify(spec.ports) === JSON.stringify(ports)) return;
      await this.registry.updateWith(services, 'default', 'kubernetes', (cur) => ({ ...cur, spec: { ...(isObject(cur.spec) ? cur.spec : {}), ports } }));
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
      await this.create(services, {
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { type: 'ClusterIP', clusterIP: this.opts.clusterIP, clusterIPs: [this.opts.clusterIP], ports, sessionAffinity: 'None' },
      });
    }
  }

  /** Create the object, or bring the listed fields back to what they should be. */
  private async ensure(def: ResourceDefinition, desired: KubeObject | Record<string, unknown>, fields: string[]): Promise<void> {
    const wanted = desired as Record<string, unknown>;
    try {
      const current = await this.registry.get(def, 'default', 'kubernetes');
      if (fields.every((f) => JSON.stringify(current[f]) === JSON.stringify(wanted[f]))) return;
      await this.registry.updateWith(def, 'default', 'kubernetes', (cur) => {
        const next: Record<string, unknown> = { ...cur };
        for (const f of fields) next[f] = wanted[f];
        return next;
      });
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
      await this.create(def, wanted);
    }
  }

  private async create(def: ResourceDefinition, body: unknown): Promise<void> {
    try {
      await this.registry.create(def, 'default', body);
    } catch (e) {
      // Created meanwhile: the next run compares it.
      if (!hasReason(e, 'AlreadyExists')) throw e;
    }
  }
}
