/**
 * What an OpenStack service beside Keystone plugs into `kos up` with: its catalog
 * entries, its routes on the shared listener, and the defaults it converges once the
 * admin and demo projects exist. The identity service gives every one of them the token
 * validator and the project lookups; services reach each other through their service
 * layers, passed in `peers`, never over HTTP.
 */
import type { Clock } from '../../core/clock.js';
import type { FaultInjector } from '../../core/faults.js';
import type { KosConfig } from '../../core/config.js';
import type { HttpServer } from '../../core/http/server.js';
import type { Logger } from '../../core/log.js';
import type { Manager } from '../../core/reconcile/index.js';
import type { Store } from '../../core/store/types.js';
import type { TokenValidator } from './auth.js';

/** A service's entry in the Keystone catalog. */
export interface CatalogService {
  type: string;
  name: string;
  description: string;
  /** Path below the listener's base URL, e.g. `/v3` or `/compute/v2.1`. */
  path: string;
}

export interface OpenStackServiceDeps {
  store: Store;
  clock: Clock;
  config: KosConfig;
  log: Logger;
  /** Validates X-Auth-Token for the service's routes (requireToken(tokens)). */
  tokens: TokenValidator;
  /** The process's reconcile manager: add reconcilers before it starts (nova-compute, agents). */
  reconcilers: Manager;
  /** Services created before this one, by name, for in-process calls (Nova → Neutron). */
  peers: ReadonlyMap<string, unknown>;
  /** Register fault kinds here (`hypervisor`) for `kos fault`. */
  faults: FaultInjector;
}

/** The projects and users `kos up` creates, for services' own defaults. */
export interface BootstrapProjects {
  adminProjectId: string;
  demoProjectId: string;
  /** The listener's public base URL, e.g. http://127.0.0.1:5000 */
  publicUrl: string;
}

export interface OpenStackService {
  /** `network`, `image`, `placement`, `compute`, … (also the peers key). */
  name: string;
  catalog: CatalogService[];
  /** Mount the routes; called before the listener starts. */
  mount(server: HttpServer, publicUrl: () => string): Promise<void>;
  /** Converge the service's defaults (public network, cirros image, flavors); idempotent. */
  bootstrap?(projects: BootstrapProjects): Promise<void>;
  stop?(): Promise<void>;
}

export type OpenStackServiceFactory = (deps: OpenStackServiceDeps) => Promise<OpenStackService>;
