/** A registry over a fresh SQLite store on a VirtualClock, with the system namespaces. */
import { VirtualClock } from '../../../../src/core/clock.js';
import { openSqliteStore } from '../../../../src/core/store/sqlite.js';
import type { Store } from '../../../../src/core/store/types.js';
import { bootstrapCluster } from '../../../../src/kubernetes/apiserver/cluster.js';
import { Registry } from '../../../../src/kubernetes/apiserver/registry.js';
import { namespaces } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { StatusError, type StatusObject } from '../../../../src/kubernetes/apiserver/status.js';
import { tempDir } from '../../store/helpers.js';

export interface World {
  registry: Registry;
  store: Store;
  clock: VirtualClock;
  close(): Promise<void>;
}

export async function world(): Promise<World> {
  const { dbPath, cleanup } = tempDir();
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = openSqliteStore({ path: dbPath, clock });
  const registry = new Registry({ store, clock, cluster: 'test', namespaces });
  await bootstrapCluster(registry);
  return {
    registry,
    store,
    clock,
    async close() {
      await store.close();
      cleanup();
    },
  };
}

/** The Status a rejected promise carries. */
export async function statusOf(p: Promise<unknown>): Promise<StatusObject> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return e.status;
    throw e;
  }
  throw new Error('expected a Status error');
}
