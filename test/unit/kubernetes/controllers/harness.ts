/** A registry on a VirtualClock with the cluster's controllers, and a way to wait for the store to reach a state. */
import type { Manager } from '../../../../src/core/reconcile/index.js';
import { ResourceCatalog } from '../../../../src/kubernetes/apiserver/catalog.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import type { ResourceDefinition } from '../../../../src/kubernetes/apiserver/resource.js';
import { builtinResources, namespaces } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { StatusError } from '../../../../src/kubernetes/apiserver/status.js';
import { kubernetesControllers, type RegisterControllers } from '../../../../src/kubernetes/controllers/index.js';
import { silentLogger, type Logger } from '../../../../src/core/log.js';
import { world, type World } from '../apiserver/world.js';

export interface ControllerWorld extends World {
  manager: Manager;
  /** Another manager over the same store and clock, not started (a restarted controller manager). */
  newManager(): Manager;
  /** Advance the virtual clock until check passes (fails the test after 100 steps). */
  eventually(check: () => Promise<boolean>): Promise<void>;
  /** The stored object, or undefined once it is gone. */
  read(def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
}

/** The cluster's controllers over a world's registry and clock, with a module's own added; not started. */
export function controllersOf(w: World, extra: readonly RegisterControllers[] = [], log: Logger = silentLogger()): Manager {
  return kubernetesControllers({ registry: w.registry, catalog: new ResourceCatalog(builtinResources), namespaces, clock: w.clock, log, extra });
}

/** The stored object, or undefined once it is gone. */
export async function readStored(w: World, def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
  try {
    return await w.registry.get(def, namespace, name);
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
}

/** Advance the virtual clock in steps of stepMs until check passes; fails the test after `steps` of them. */
export async function advanceUntil(w: World, check: () => Promise<boolean> | boolean, steps = 100, stepMs = 20): Promise<void> {
  for (let i = 0; i < steps; i++) {
    if (await check()) return;
    await w.clock.advance(stepMs);
  }
  throw new Error('the store did not reach the expected state');
}

export async function controllerWorld(opts: { start?: boolean } = {}): Promise<ControllerWorld> {
  const w = await world();
  const newManager = (): Manager => controllersOf(w);
  const manager = newManager();
  if (opts.start !== false) await manager.start();
  return {
    ...w,
    manager,
    newManager,
    eventually: (check) => advanceUntil(w, check),
    read: (def, namespace, name) => readStored(w, def, namespace, name),
    async close() {
      await manager.stop();
      await w.close();
    },
  };
}
