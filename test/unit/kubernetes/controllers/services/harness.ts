/** A registry on a VirtualClock with the service controllers running, and helpers to drive pods. */
import { createLogger, silentLogger } from '../../../../../src/core/log.js';
import type { Manager } from '../../../../../src/core/reconcile/index.js';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import type { ResourceDefinition } from '../../../../../src/kubernetes/apiserver/resource.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { serviceControllers, type ServiceControllerOptions } from '../../../../../src/kubernetes/controllers/services/index.js';
import { world, type World } from '../../apiserver/world.js';
import { advanceUntil, controllersOf, readStored } from '../harness.js';

export interface ServicesWorld extends World {
  manager: Manager;
  newManager(): Manager;
  /** Advance the virtual clock in small steps until check passes. */
  eventually(check: () => Promise<boolean> | boolean, stepMs?: number): Promise<void>;
  read(def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  /** Write a pod's status as the kubelet would. */
  setPodStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<KubeObject>;
}

export async function servicesWorld(opts: ServiceControllerOptions & { start?: boolean } = {}): Promise<ServicesWorld> {
  const w = await world();
  const log = process.env.KOS_TEST_LOG ? createLogger({ level: 'warn' }) : silentLogger();
  const newManager = (): Manager => controllersOf(w, [serviceControllers(opts)], log);
  const managers: Manager[] = [];
  const manager = newManager();
  managers.push(manager);
  if (opts.start !== false) await manager.start();
  return {
    ...w,
    manager,
    newManager: () => {
      const m = newManager();
      managers.push(m);
      return m;
    },
    read: (def, namespace, name) => readStored(w, def, namespace, name),
    eventually: (check, stepMs = 20) => advanceUntil(w, check, 200, stepMs),
    setPodStatus(namespace, name, status) {
      return w.registry.updateWith(pods, namespace, name, (cur) => ({ ...cur, status: { ...((cur.status as object | undefined) ?? {}), ...status } }), { subresource: 'status' });
    },
    async close() {
      for (const m of managers) await m.stop();
      await w.close();
    },
  };
}

export function podBody(name: string, labels: Record<string, string>, extra: { ports?: { name?: string; containerPort: number }[]; nodeName?: string } = {}): Record<string, unknown> {
  return {
    metadata: { name, labels },
    spec: {
      ...(extra.nodeName ? { nodeName: extra.nodeName } : {}),
      containers: [{ name: 'app', image: 'nginx', ...(extra.ports ? { ports: extra.ports } : {}) }],
    },
  };
}

export const running = (ip: string, ready = true): Record<string, unknown> => ({
  phase: 'Running',
  podIP: ip,
  podIPs: [{ ip }],
  conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
});
