/** A registry on a VirtualClock with the workload controllers running, and helpers to play the kubelet. */
import type { Manager } from '../../../../../src/core/reconcile/index.js';
import { clone, type KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import type { ResourceDefinition } from '../../../../../src/kubernetes/apiserver/resource.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { rfc3339 } from '../../../../../src/kubernetes/apiserver/time.js';
import { registerWorkloadControllers } from '../../../../../src/kubernetes/controllers/workloads/index.js';
import { world, type World } from '../../apiserver/world.js';
import { controllersOf } from '../harness.js';

export interface WorkloadWorld extends World {
  manager: Manager;
  /** Advance the virtual clock in small steps until check passes (fails after 200 steps). */
  eventually(check: () => Promise<boolean> | boolean, what?: string): Promise<void>;
  list(def: ResourceDefinition, namespace?: string): Promise<KubeObject[]>;
  get(def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject>;
  /** Play the kubelet: Running and Ready (or not) now, optionally on a node. */
  setReady(pod: KubeObject, ready?: boolean): Promise<void>;
  /** Every listed pod of the namespace Running and Ready. */
  readyAll(namespace?: string): Promise<number>;
}

export async function workloadWorld(): Promise<WorkloadWorld> {
  const w = await world();
  const manager = controllersOf(w, [registerWorkloadControllers]);
  await manager.start();
  const list = async (def: ResourceDefinition, namespace = 'default'): Promise<KubeObject[]> => {
    const kvs = await w.registry.store.range(w.registry.keys.prefix(def, namespace));
    return kvs.kvs.map((kv) => w.registry.decode(kv));
  };
  const setReady = async (pod: KubeObject, ready = true): Promise<void> => {
    await w.registry.updateWith(
      pods,
      pod.metadata.namespace,
      pod.metadata.name ?? '',
      (cur) => {
        const next = clone(cur);
        next.status = {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(w.clock.now()) }],
        };
        return next;
      },
      { subresource: 'status' },
    );
  };
  return {
    ...w,
    manager,
    list,
    get: (def, namespace, name) => w.registry.get(def, namespace, name),
    setReady,
    async readyAll(namespace = 'default') {
      let n = 0;
      for (const p of await list(pods, namespace)) {
        const conds = (p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
        if (p.metadata.deletionTimestamp || conds.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
        await setReady(p);
        n++;
      }
      return n;
    },
    async eventually(check, what = 'the expected state') {
      for (let i = 0; i < 200; i++) {
        if (await check()) return;
        await w.clock.advance(20);
      }
      throw new Error(`the store did not reach ${what}`);
    },
    async close() {
      await manager.stop();
      await w.close();
    },
  };
}
