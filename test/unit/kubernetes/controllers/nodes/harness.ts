/** A registry on a VirtualClock with the cluster's controllers plus this module's, and store helpers. */
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import type { ResourceDefinition } from '../../../../../src/kubernetes/apiserver/resource.js';
import { registerNodeControllers, type NodeControllerOptions } from '../../../../../src/kubernetes/controllers/nodes/index.js';
import type { Manager } from '../../../../../src/core/reconcile/index.js';
import { createLogger, silentLogger } from '../../../../../src/core/log.js';
import { world, type World } from '../../apiserver/world.js';
import { advanceUntil, controllersOf, readStored } from '../harness.js';

export interface NodesWorld extends World {
  manager: Manager;
  /** Advance the virtual clock in small steps until check passes (fails after `steps`). */
  eventually(check: () => Promise<boolean> | boolean, steps?: number, stepMs?: number): Promise<void>;
  read(def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
}

export async function nodesWorld(opts: NodeControllerOptions = {}): Promise<NodesWorld> {
  const w = await world();
  const log = process.env.KOS_TEST_LOG ? createLogger({ level: 'debug', fd: 2 }) : silentLogger();
  const manager = controllersOf(w, [(m, ctx) => registerNodeControllers(m, ctx, opts)], log);
  await manager.start();
  return {
    ...w,
    manager,
    read: (def, namespace, name) => readStored(w, def, namespace, name),
    eventually: (check, steps, stepMs) => advanceUntil(w, check, steps, stepMs),
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
