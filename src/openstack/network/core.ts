/**
 * The network service layer: the repository, IPAM, quotas and every resource's
 * lifecycle, shared by the HTTP routes, bootstrap, the port-binding reconciler and (later)
 * Nova, Octavia and the Kuryr integration calling in-process.
 */
import type { Clock } from '../../core/clock.js';
import type { KosConfig } from '../../core/config.js';
import { neutronError } from './errors.js';
import { Ipam } from './ipam-registry.js';
import type {
  FloatingIp, MeteringLabel, MeteringLabelRule, Network, Port, Router, SecurityGroup, SecurityGroupRule, Subnet,
  SubnetPool,
} from './model.js';
import type { NetworkRepository } from './repository.js';
import type { Resource, Services } from './resource.js';

/** Neutron's default quotas (-1 is unlimited). */
export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  network: 100,
  subnet: 100,
  subnetpool: -1,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
  rbac_policy: 10,
};

export interface Resources {
  networks: Resource<Network>;
  subnets: Resource<Subnet>;
  subnetpools: Resource<SubnetPool>;
  ports: Resource<Port>;
  routers: Resource<Router>;
  floatingips: Resource<FloatingIp>;
  securityGroups: Resource<SecurityGroup>;
  securityGroupRules: Resource<SecurityGroupRule>;
  meteringLabels: Resource<MeteringLabel>;
  meteringLabelRules: Resource<MeteringLabelRule>;
}

export class NetworkCore implements Services {
  readonly ipam = new Ipam();
  readonly writes: Services['writes'];
  /** Filled by index.ts once every resource is defined (they refer to each other). */
  res!: Resources;
  /** Called with a port id after every port write: the binding reconciler listens. */
  readonly portListeners = new Set<(id: string) => void>();

  constructor(
    readonly repo: NetworkRepository,
    readonly clock: Clock,
    readonly config: KosConfig,
  ) {
    this.writes = repo.writes;
  }

  /** Availability zones: the configured zones of every region. */
  zones(): string[] {
    return this.config.datacenter.regions.flatMap((r) => r.zones.map((z) => z.name));
  }

  quotaOf(projectId: string): Record<string, number> {
    return { ...DEFAULT_QUOTAS, ...(this.repo.quotas.get(projectId)?.limits ?? {}) };
  }

  usedOf(resource: string, projectId: string): number {
    const r = this.repo;
    const mine = <T extends { project_id: string }>(c: { list(f: (o: T) => boolean): T[] }) =>
      c.list((o) => o.project_id === projectId).length;
    switch (resource) {
      case 'network': return mine(r.networks);
      case 'subnet': return mine(r.subnets);
      case 'subnetpool': return mine(r.subnetpools);
      case 'port': return r.ports.byIndex('project_id', projectId).length;
      case 'router': return mine(r.routers);
      case 'floatingip': return mine(r.floatingips);
      case 'security_group': return mine(r.securityGroups);
      case 'security_group_rule': return mine(r.securityGroupRules);
      default: return 0;
    }
  }

  checkQuota(resource: string, projectId: string, adding: number): void {
    const limit = this.quotaOf(projectId)[resource];
    if (limit === undefined || limit < 0) return;
    if (this.usedOf(resource, projectId) + adding > limit) {
      throw neutronError('Conflict', 'OverQuota', `Quota exceeded for resources: ['${resource}'].`);
    }
  }

  notifyPort(id: string): void {
    for (const l of this.portListeners) l(id);
  }
}
