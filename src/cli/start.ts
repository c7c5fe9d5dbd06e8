/**
 * Start every part of kos in this process: store, the shared listener, identity and its
 * bootstrap. The CLI's `kos up` and the integration tests both come through here.
 */
import { mkdirSync } from 'node:fs';
import { SystemClock, type Clock } from '../core/clock.js';
import { loadConfig, type DeepPartial, type KosConfig } from '../core/config.js';
import { createHttpServer } from '../core/http/server.js';
import { createLogger, silentLogger, type Logger } from '../core/log.js';
import { createMetricsRegistry } from '../core/metrics.js';
import { Manager } from '../core/reconcile/manager.js';
import { startCompactor } from '../core/store/compactor.js';
import { instrumentStore } from '../core/store/metrics.js';
import { openSqliteStore } from '../core/store/sqlite.js';
import { createIdentityService, identityCatalogEntry, type IdentityService } from '../openstack/identity/index.js';
import type { OpenStackService } from '../openstack/common/service.js';
import { openStackServices } from '../openstack/services.js';
import { FaultInjector } from '../core/faults.js';
import { mountFaultRoutes } from './fault-routes.js';
import { startKubernetesCluster, type KubernetesCluster } from '../kubernetes/apiserver/index.js';
import { writeCloudsYaml } from './clouds-yaml.js';
import { lockDataDir } from './data-dir-lock.js';
import { join } from 'node:path';

export interface StartOptions {
  dataDir?: string;
  host?: string;
  port?: number;
  /** HTTPS port of cluster `default` (6443; 0 picks a free one). */
  kubernetesPort?: number;
  configFile?: string;
  logLevel?: string;
  adminPassword?: string;
  /** Any other configuration, applied last. */
  overrides?: DeepPartial<KosConfig>;
  clock?: Clock;
  logger?: Logger;
}

export interface KosInstance {
  /** The listener's base URL, e.g. http://127.0.0.1:5000. */
  url: string;
  /** Keystone's v3 URL for OS_AUTH_URL. */
  authUrl: string;
  config: KosConfig;
  cloudsYaml: string;
  adminPassword: string;
  demoPassword: string;
  identity: IdentityService;
  /** Runs the process's reconcilers; its queue depths and errors are in /metrics. */
  reconcilers: Manager;
  /** Kubernetes cluster `default`: its API server URL and kubeconfig. */
  kubernetes: KubernetesCluster;
  /** Milliseconds from the call to serving. */
  startupMs: number;
  stop(): Promise<void>;
}

export async function startKos(opts: StartOptions = {}): Promise<KosInstance> {
  const started = performance.now();
  const overrides: DeepPartial<KosConfig> = { ...(opts.overrides ?? {}) };
  if (opts.adminPassword) overrides.identity = { ...overrides.identity, adminPassword: opts.adminPassword };
  const config = loadConfig({
    ...(opts.configFile ? { file: opts.configFile } : {}),
    flags: {
      ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
      ...(opts.host !== undefined ? { host: opts.host } : {}),
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.logLevel !== undefined ? { logLevel: opts.logLevel } : {}),
      ...(opts.kubernetesPort !== undefined ? { kubernetes: { port: opts.kubernetesPort } } : {}),
    },
    overrides,
  });
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const lock = lockDataDir(config.dataDir);
  const clock = opts.clock ?? new SystemClock();
  const log = opts.logger ?? (config.logLevel === 'silent' ? silentLogger() : createLogger({ level: config.logLevel }));
  const metrics = createMetricsRegistry();
  // Where start-up time goes, logged at info once ready (`--log-level info`).
  const phases: Record<string, number> = {};
  let last = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round((now - last) * 10) / 10;
    last = now;
  };
  phase('config');
  const store = instrumentStore(
    openSqliteStore({ path: join(config.dataDir, 'kos.db'), clock, durability: config.store.durability, writer: config.store.writer ?? 'thread' }),
    metrics,
  );
  try {
    phase('store');
    const server = createHttpServer({ logger: log, metrics });
    // The OpenStack APIs and the Kubernetes cluster share nothing but the store: they
    // start side by side, each mostly waiting on I/O.
    const since = (t: number) => Math.round((performance.now() - t) * 10) / 10;
    const reconcilers = new Manager({ clock, logger: log.child({ component: 'reconcile' }), registry: metrics });
    const services: OpenStackService[] = [];
    const faults = new FaultInjector();
    const startOpenStack = async () => {
      const t0 = performance.now();
      const identity = await createIdentityService({ store, clock, config, log: log.child({ component: 'identity' }) });
      let url = '';
      await identity.mount(server, () => url);
      await mountFaultRoutes(server, faults, identity.tokens);
      const peers = new Map<string, unknown>();
      for (const factory of openStackServices) {
        const service = await factory({ store, clock, config, log, tokens: identity.tokens, reconcilers, peers, faults });
        peers.set(service.name, service);
        services.push(service);
        await service.mount(server, () => url);
      }
      await server.app.listen({ host: config.host, port: config.port });
      const address = server.app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.publicHost ?? config.host;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      const secrets = await identity.bootstrap(url, [identityCatalogEntry, ...services.flatMap((s) => s.catalog)]);
      for (const service of services) {
        await service.bootstrap?.({ adminProjectId: secrets.adminProjectId, demoProjectId: secrets.demoProjectId, publicUrl: url });
      }
      const cloudsYaml = writeCloudsYaml({
        dataDir: config.dataDir,
        authUrl: `${url}/v3`,
        region: config.datacenter.regions[0]!.name,
        ...secrets,
      });
      phases.openstack = since(t0);
      return { identity, url, secrets, cloudsYaml };
    };
    const startKubernetes = async () => {
      const t0 = performance.now();
      const cluster = await startKubernetesCluster({
        store, clock, log, dataDir: config.dataDir, name: 'default', host: config.host, port: config.kubernetes.port, nodes: config.kubernetes.nodes,
        controllersThread: (config.kubernetes.controllers ?? 'thread') === 'thread',
      });
      phases.kubernetes = since(t0);
      return cluster;
    };
    const [openstack, cluster] = await Promise.allSettled([startOpenStack(), startKubernetes()]);
    if (openstack.status === 'rejected' || cluster.status === 'rejected') {
      await server.app.close();
      if (cluster.status === 'fulfilled') await cluster.value.stop();
      throw openstack.status === 'rejected' ? openstack.reason : (cluster as PromiseRejectedResult).reason;
    }
    const { identity, url, secrets, cloudsYaml } = openstack.value;
    const kubernetes = cluster.value;
    faults.register('node', {
      description: 'a node of Kubernetes cluster default: down stops its kubelet (heartbeats and pod work)',
      list: () => kubernetes.nodeHealth().map((n) => ({ name: n.name, state: n.healthy ? 'up' : 'down' })),
      set: (name, state) => kubernetes.setNodeHealthy(name, state === 'up'),
    });
    last = performance.now();
    await reconcilers.start();
    const compactor = startCompactor({ store, clock, log: log.child({ component: 'compactor' }) });
    phase('reconcilers');
    log.info({ phases }, 'kos started');
    let stopped = false;
    return {
      url,
      authUrl: `${url}/v3`,
      config,
      cloudsYaml,
      ...secrets,
      identity,
      reconcilers,
      kubernetes,
      startupMs: performance.now() - started,
      async stop() {
        if (stopped) return;
        stopped = true;
        compactor.stop();
        await reconcilers.stop();
        await Promise.all([server.app.close(), kubernetes.stop(), ...services.map((s) => s.stop?.())]);
        await store.close();
        lock.release();
      },
    };
  } catch (e) {
    await store.close();
    lock.release();
    throw e;
  }
}
