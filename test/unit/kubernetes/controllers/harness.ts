/** A registry on a VirtualClock with the cluster's controllers, and a way to wait for the store to reach a state. */
import type { Manager } from '../../../../src/core/reconcile/index.js';
import { ResourceCatalog } from '../../../../src/kubernetes/apiserver/catalog.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import type { ResourceDefinition } from '../../../../src/kubernetes/apiserver/resource.js';
import { builtinResources, namespaces } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { StatusError } from '../../../../src/kubernetes/apiserver/status.js';
import { kubernetesControllers } from '../../../../src/kubernetes/controllers/index.js';
import { silentLogger } from '../../../../src/core/log.js';
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

export async function controllerWorld(opts: { start?: boolean } = {}): Promise<ControllerWorld> {
  const w = await world();
  const newManager = (): Manager =>
    kubernetesControllers({ registry: w.registry, catalog: new ResourceCatalog(builtinResources), namespaces, clock: w.clock, log: silentLogger() });
  const manager = newManager();
  if (opts.start !== false) await manager.start();
  return {
    ...w,
    manager,
    newManager,
    async eventually(check) {
      for (let i = 0; i < 100; i++) {
        if (await check()) return;
        await w.clock.advance(20);
      }
      throw new Error('the store did not reach the expected state');
    },
    async read(def, namespace, name) {
      try {
        return await w.registry.get(def, namespace, name);
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) return undefined;
        throw e;
      }
    },
    async close() {
      await manager.stop();
      await w.close();
    },
  };
}
