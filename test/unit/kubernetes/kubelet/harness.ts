/** A cluster's kubelets (and nothing else) over a registry on a VirtualClock. */
import type { Clock } from '../../../../src/core/clock.js';
import type { Manager } from '../../../../src/core/reconcile/index.js';
import type { RuntimeDriver } from '../../../../src/drivers/runtime/types.js';
import { silentLogger } from '../../../../src/core/log.js';
import { ResourceCatalog } from '../../../../src/kubernetes/apiserver/catalog.js';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { builtinResources, namespaces } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { configmaps } from '../../../../src/kubernetes/apiserver/resources/configmaps.js';
import { pods } from '../../../../src/kubernetes/apiserver/resources/pods.js';
import { kubernetesControllers } from '../../../../src/kubernetes/controllers/index.js';
import { createNodeAgents, type NodeAgents, type NodeAgentsOptions } from '../../../../src/kubernetes/kubelet/index.js';
import { world, type World } from '../apiserver/world.js';

export interface KubeletWorld extends World {
  agents: NodeAgents;
  manager: Manager;
  /** Let the controllers run without moving the clock. */
  settle(): Promise<void>;
  pod(name: string): Promise<KubeObject>;
  /** Status writes the pod has had (its resourceVersion history seen by a watch). */
  writes(name: string): number;
}

const size = { cpu: '4', memory: '16Gi', pods: 110, ephemeralStorage: '100Gi', instanceType: 'm1.xlarge' };

export async function kubeletWorld(opts: Partial<NodeAgentsOptions> & { driverFor?: (clock: Clock) => RuntimeDriver } = {}): Promise<KubeletWorld> {
  const w = await world();
  const { driverFor, ...agentOpts } = opts;
  if (driverFor) agentOpts.driver = driverFor(w.clock);
  // What the root-CA publisher keeps in every namespace; pods mount it with their token.
  await w.registry.create(configmaps, 'default', { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'test CA' } });
  const agents = createNodeAgents({ nodes: [{ prefix: 'n', role: 'worker', count: 2, zones: ['az1', 'az2'], ...size }], ...agentOpts });
  const manager = kubernetesControllers({ registry: w.registry, catalog: new ResourceCatalog(builtinResources), namespaces, clock: w.clock, log: silentLogger(), extra: [agents.register] });
  await manager.start();
  const counts = new Map<string, number>();
  const watch = w.store.watch(w.registry.keys.prefix(pods), { afterRevision: await w.store.range(w.registry.keys.prefix(pods), { limit: 1 }).then((r) => r.revision) });
  void (async () => {
    for await (const batch of watch) {
      for (const ev of batch) if (ev.type === 'put') counts.set(ev.kv.key, (counts.get(ev.kv.key) ?? 0) + 1);
    }
  })();
  const settle = async () => {
    for (let i = 0; i < 8; i++) await w.clock.advance(0);
  };
  await settle();
  return {
    ...w,
    agents,
    manager,
    settle,
    pod: (name) => w.registry.get(pods, 'default', name),
    writes: (name) => counts.get(w.registry.keys.key(pods, 'default', name)) ?? 0,
    async close() {
      watch.close();
      await manager.stop();
      await w.close();
    },
  };
}
