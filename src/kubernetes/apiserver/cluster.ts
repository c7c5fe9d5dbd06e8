/**
 * A logical Kubernetes cluster on the kos store: its PKI and kubeconfig, its registry over
 * the cluster's key prefix, the system namespaces, and its own HTTPS listener.
 */
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import type { Store } from '../../core/store/types.js';
import type { RuntimeResolver } from '../runtime/types.js';
import { adminGroup, adminUser, ensureClusterPki, writeKubeconfig } from '../pki/index.js';
import { startClusterAuth } from './auth.js';
import { ResourceCatalog } from './catalog.js';
import { startCrdController } from './crd/index.js';
import { startKubernetesControllers } from '../controllers/index.js';
import type { HandlerContext } from './handlers.js';
import { Registry } from './registry.js';
import type { ResourceDefinition } from './resource.js';
import { builtinResources, namespaces, systemNamespaces } from './resources/index.js';
import { createApiServer } from './server.js';
import { StatusError } from './status.js';
import type { KubeNodeGroupConfig } from '../../core/config.js';
import { createNodeAgents } from '../kubelet/index.js';
import { apiServerAdmission, clusterControllers } from '../controllers/cluster-controllers.js';
import { startControllerThread, type ControllerThread } from '../controllers/thread/controller-link.js';
import { metricsResources } from './resources/metrics.js';

export interface KubernetesClusterOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /** The cluster's name: its key prefix, PKI directory and kubeconfig context (`kos-<name>`). */
  name: string;
  /** Address to listen on (also put in the serving certificate). */
  host: string;
  /** 6443 for the first cluster; 0 picks a free port (tests). */
  port: number;
  /** Where to write the kubeconfig (default `<dataDir>/kubeconfig`). */
  kubeconfigPath?: string;
  /** Kinds to serve (default: the built-in ones). */
  resources?: readonly ResourceDefinition[];
  /** Who runs pods' containers, for pods/log, exec, attach and portforward (default: the kubelets' runtime). */
  runtime?: RuntimeResolver;
  /** The nodes the cluster's kubelets register (default: none). */
  nodes?: readonly KubeNodeGroupConfig[];
  /** Run the scheduler and the workload controllers (default true). */
  controllers?: boolean;
  /**
   * Run them, the garbage collector and the namespace controller on a thread of their own
   * (default false: beside the API server). The kubelets stay with the API server, which
   * serves their logs, exec and metrics.
   */
  controllersThread?: boolean;
}

export interface KubernetesCluster {
  /** https://host:port */
  url: string;
  kubeconfigPath: string;
  /** The context name in the kubeconfig, `kos-<name>`. */
  context: string;
  registry: Registry;
  catalog: ResourceCatalog;
  /**
   * Failure rehearsal: a node taken down stops its heartbeats and its pods' work, as a
   * lost hypervisor would; the node controller then marks it and evicts its pods.
   */
  setNodeHealthy(name: string, healthy: boolean): void;
  /** The nodes the cluster's kubelets run, and whether each is up. */
  nodeHealth(): { name: string; healthy: boolean }[];
  /** The controllers' thread, when they run on one (controllersThread). */
  controllerThread?: ControllerThread;
  stop(): Promise<void>;
}

/** Create what every cluster has from the start; existing objects are left alone. */
export async function bootstrapCluster(registry: Registry): Promise<void> {
  for (const name of systemNamespaces) {
    try {
      await registry.create(namespaces, undefined, { metadata: { name } });
    } catch (e) {
      if (!(e instanceof StatusError && e.status.reason === 'AlreadyExists')) throw e;
    }
  }
}

/** The built-in kinds with metrics.k8s.io answered by the cluster's kubelets. */
function withMetrics(resources: readonly ResourceDefinition[], metrics: ResourceDefinition[]): ResourceDefinition[] {
  const isMetrics = (d: ResourceDefinition) => d.group === 'metrics.k8s.io';
  return [...resources.filter((d) => !isMetrics(d)), ...metrics];
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export async function startKubernetesCluster(opts: KubernetesClusterOptions): Promise<KubernetesCluster> {
  const log = opts.log.child({ component: 'kube-apiserver', cluster: opts.name });
  const agents = createNodeAgents({ nodes: opts.nodes ?? [] });
  const catalog = new ResourceCatalog(opts.resources ?? withMetrics(builtinResources, metricsResources(agents.metrics)));
  const registry = new Registry({ store: opts.store, clock: opts.clock, cluster: opts.name, namespaces });
  // The PKI's key and signature work runs on libuv's thread pool (WebCrypto): the
  // bootstrap writes overlap it instead of waiting for it.
  const [pki] = await Promise.all([
    ensureClusterPki({ dataDir: opts.dataDir, cluster: opts.name, hosts: [opts.host] }),
    bootstrapCluster(registry),
  ]);
  const auth = await startClusterAuth({ registry, clock: opts.clock, log, pkiDir: pki.dir });
  // Stored CustomResourceDefinitions are served before the listener opens.
  const crdController = startCrdController({ registry, catalog, log });
  await crdController.ready;
  // The cluster's controller manager: the garbage collector, the namespace controller and
  // the controllers of clusterControllers(), here or on their thread; and the kubelets.
  // The `kubernetes` Service points at the port the listener gets below.
  let listeningPort: number | undefined = undefined;
  const runControllers = opts.controllers !== false;
  const thread = runControllers && opts.controllersThread
    ? startControllerThread({ store: opts.store, cluster: opts.name, caPem: pki.caPem, log })
    : undefined;
  const extra = !runControllers
    ? []
    : thread
      ? [apiServerAdmission, agents.register]
      : [...clusterControllers({ caPem: pki.caPem, apiServerPort: () => listeningPort }), agents.register];
  const controllers = await startKubernetesControllers({ cluster: opts.name, registry, catalog, namespaces, clock: opts.clock, log, extra, builtin: !thread });
  const handlers: HandlerContext = { registry, catalog, namespaces, auth };
  let serverAddress = '';
  const app = await createApiServer({
    handlers,
    auth,
    catalog,
    log,
    tls: { key: pki.serving.keyPem, cert: pki.serving.certPem, ca: pki.caPem },
    serverAddress: () => serverAddress,
    runtime: opts.runtime ?? agents.runtime,
  });
  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  listeningPort = port;
  thread?.setApiServerPort(port);
  // A wildcard listen address is reachable on loopback; clients need a concrete host.
  const clientHost = opts.host === '0.0.0.0' || opts.host === '::' || opts.host === '' ? '127.0.0.1' : opts.host;
  serverAddress = `${urlHost(clientHost)}:${port}`;
  const url = `https://${serverAddress}`;
  const context = `kos-${opts.name}`;
  const kubeconfigPath = opts.kubeconfigPath ?? join(opts.dataDir, 'kubeconfig');
  writeKubeconfig({ path: kubeconfigPath, name: context, server: url, caPem: pki.caPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem });
  log.info({ url, kubeconfigPath, user: adminUser, group: adminGroup }, 'kubernetes api server listening');
  const shutdown = async (): Promise<void> => {
    // Open watches would hold close() forever: end them with their connections.
    app.server.closeAllConnections?.();
    await app.close();
    await auth.stop();
    await crdController.stop();
    await thread?.stop();
    await controllers.stop();
  };
  try {
    await thread?.ready;
  } catch (e) {
    await shutdown();
    throw e;
  }

  let stopped = false;
  return {
    url,
    kubeconfigPath,
    context,
    registry,
    catalog,
    setNodeHealthy: (name, healthy) => agents.setNodeHealthy(name, healthy),
    nodeHealth: () => agents.nodeNames().map((name) => ({ name, healthy: agents.isNodeHealthy(name) })),
    ...(thread ? { controllerThread: thread } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      await shutdown();
    },
  };
}
