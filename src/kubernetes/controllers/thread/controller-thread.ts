/**
 * The controllers' thread: the cluster's controller manager and scheduler on an event loop
 * of their own, over the API server thread's store (RemoteStore). Like kube-controller-
 * manager beside kube-apiserver, they share nothing with the API server but the store:
 * they keep their own registry, catalog (custom resources included) and informers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SystemClock } from '../../../core/clock.js';
import { createLogger, silentLogger } from '../../../core/log.js';
import type { Manager } from '../../../core/reconcile/index.js';
import { RemoteStore } from '../../../core/store/remote-store.js';
import { ResourceCatalog } from '../../apiserver/catalog.js';
import { startCrdController, type CrdController } from '../../apiserver/crd/index.js';
import { Registry } from '../../apiserver/registry.js';
import { builtinResources, namespaces } from '../../apiserver/resources/index.js';
import { clusterControllers } from '../cluster-controllers.js';
import { startKubernetesControllers } from '../index.js';
import { isControllersMessage, type ControllerThreadData, type FromControllers, type ToControllers } from './messages.js';

if (!parentPort) throw new Error('the controllers thread runs as a worker');
const port = parentPort;
const data = workerData as ControllerThreadData;
const say = (msg: FromControllers): void => port.postMessage(msg);

const store = new RemoteStore(port);
const clock = new SystemClock();
const log = (data.logLevel === 'silent' ? silentLogger() : createLogger({ level: data.logLevel })).child({ cluster: data.cluster, thread: 'controllers' });
let apiServerPort: number | undefined;

/** The controllers at work, or undefined when they could not start (already reported). */
async function start(): Promise<{ manager: Manager; crds: CrdController } | undefined> {
  try {
    const catalog = new ResourceCatalog(builtinResources);
    const registry = new Registry({ store, clock, cluster: data.cluster, namespaces });
    // Custom resources are served by the API server's catalog; this one follows the same
    // definitions so the garbage collector and namespace deletion know their kinds.
    const crds = startCrdController({ registry, catalog, log, catalogOnly: true });
    await crds.ready;
    const extra = clusterControllers({ ...(data.caPem ? { caPem: data.caPem } : {}), apiServerPort: () => apiServerPort });
    const manager = await startKubernetesControllers({ cluster: data.cluster, registry, catalog, namespaces, clock, log, extra, listNamespaces: true });
    say({ type: 'controllers.ready' });
    return { manager, crds };
  } catch (e) {
    say({ type: 'controllers.failed', message: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}

const started = start();
let stopping: Promise<void> | undefined;

async function stop(): Promise<void> {
  const running = await started;
  await running?.manager.stop();
  await running?.crds.stop();
  await store.close();
  say({ type: 'controllers.stopped' });
  port.close();
}

port.on('message', (msg: unknown) => {
  if (!isControllersMessage(msg)) return;
  const m = msg as ToControllers;
  if (m.type === 'controllers.apiServerPort') apiServerPort = m.port;
  else if (m.type === 'controllers.stop') stopping ??= stop();
});
