/** A registry on a VirtualClock with the cluster's controllers plus this module's, and store helpers. */
import { ResourceCatalog } from '../../../../../src/kubernetes/apiserver/catalog.js';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import type { ResourceDefinition } from '../../../../../src/kubernetes/apiserver/resource.js';
import { builtinResources, namespaces } from '../../../../../src/kubernetes/apiserver/resources/index.js';
import { StatusError } from '../../../../../src/kubernetes/apiserver/status.js';
import { kubernetesControllers } from '../../../../../src/kubernetes/controllers/index.js';
import { registerNodeControllers, type NodeControllerOptions } from '../../../../../src/kubernetes/controllers/nodes/index.js';
import type { Manager } from '../../../../../src/core/reconcile/index.js';
import { createLogger, silentLogger } from '../../../../../src/core/log.js';
import { world, type World } from '../../apiserver/world.js';

export interface NodesWorld extends World {
  manager: Manager;
  /** Advance the virtual clock in small steps until check passes (fails after `steps`). */
  eventually(check: () => Promise<boolean> | boolean, steps?: number, stepMs?: number): Promise<void>;
  read(def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
}

export async function nodesWorld(opts: NodeControllerOptions = {}): Promise<NodesWorld> {
  const w = await world();
  const manager = kubernetesControllers({
    registry: w.registry,
    catalog: new ResourceCatalog(builtinResources),
    namespaces,
    clock: w.clock,
    log: process.env.KOS_TEST_LOG ? createLogger({ level: 'debug', fd: 2 }) : silentLogger(),
    extra: [(m, ctx) => registerNodeControllers(m, ctx, opts)],
  });
  await manager.start();
  const read = async (def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject | undefined> => {
    try {
      return await w.registry.get(def, namespace, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  };
  return {
    ...w,
    manager,
    read,
    async eventually(check, steps = 100, stepMs = 20) {
      for (let i = 0; i < steps; i++) {
        if (await check()) return;
        await w.clock.advance(stepMs);
      }
      throw new Error('the store did not reach the expected state');
    },
    async close() {
      await manager.stop();
      await w.close();
    },
  };
}

export const container = (name: string, resources?: Record<string, Record<string, string>>): Record<string, unknown> => ({
  name,
  image: 'nginx',
  ...(resources ? { resources } : {}),
});

export const podBody = (name: string, extra: { labels?: Record<string, string>; nodeName?: string; containers?: unknown[]; tolerations?: unknown[]; owner?: unknown } = {}): Record<string, unknown> => ({
  metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.owner ? { ownerReferences: [extra.owner] } : {}) },
  spec: {
    containers: extra.containers ?? [container('app')],
    ...(extra.nodeName ? { nodeName: extra.nodeName } : {}),
    ...(extra.tolerations ? { tolerations: extra.tolerations } : {}),
  },
});
