/**
 * Neutron's collections over the store, under `/openstack/network/<kind>/`, with the
 * indexes list filters and cross-checks use (ports by network and by device, subnets by
 * network, rules by group), and one write lock: Neutron's checks span resources (an IP
 * taken, a subnet in use by a router), so writes are serialized.
 */
import type { Store } from '../../core/store/types.js';
import { Collection, Mutex } from '../common/collection.js';
import type {
  AddressGroup, DefaultSecurityGroup, FloatingIp, MeteringLabel, MeteringLabelRule, Network, Port, QuotaSet, Router,
  SecurityGroup, SecurityGroupRule, SegmentAllocation, Subnet, SubnetPool,
} from './model.js';

const PREFIX = '/openstack/network/';

export class NetworkRepository {
  readonly networks: Collection<Network>;
  readonly subnets: Collection<Subnet>;
  readonly subnetpools: Collection<SubnetPool>;
  readonly ports: Collection<Port>;
  readonly routers: Collection<Router>;
  readonly floatingips: Collection<FloatingIp>;
  readonly securityGroups: Collection<SecurityGroup>;
  readonly securityGroupRules: Collection<SecurityGroupRule>;
  readonly addressGroups: Collection<AddressGroup>;
  readonly meteringLabels: Collection<MeteringLabel>;
  readonly meteringLabelRules: Collection<MeteringLabelRule>;
  readonly quotas: Collection<QuotaSet>;
  readonly defaultGroups: Collection<DefaultSecurityGroup>;
  readonly segments: Collection<SegmentAllocation>;
  readonly writes = new Mutex();

  constructor(store: Store) {
    const c = <T extends { id: string }>(kind: string, noun: string) => new Collection<T>(store, `${PREFIX}${kind}/`, noun);
    this.networks = c('networks', 'network');
    this.subnets = c('subnets', 'subnet');
    this.subnetpools = c('subnetpools', 'subnetpool');
    this.ports = c('ports', 'port');
    this.routers = c('routers', 'router');
    this.floatingips = c('floatingips', 'floatingip');
    this.securityGroups = c('security-groups', 'security group');
    this.securityGroupRules = c('security-group-rules', 'security group rule');
    this.addressGroups = c('address-groups', 'address group');
    this.meteringLabels = c('metering-labels', 'metering label');
    this.meteringLabelRules = c('metering-label-rules', 'metering label rule');
    this.quotas = c('quotas', 'quota');
    this.defaultGroups = c('default-security-groups', 'default security group');
    this.segments = c('segments', 'segment');
  }

  async load(): Promise<void> {
    const all = [
      this.networks, this.subnets, this.subnetpools, this.ports, this.routers, this.floatingips, this.securityGroups,
      this.securityGroupRules, this.addressGroups, this.meteringLabels, this.meteringLabelRules, this.quotas,
      this.defaultGroups, this.segments,
    ];
    for (const col of all as { load(): Promise<void> }[]) await col.load();
    this.subnets.addIndex('network_id', (s) => [s.network_id]);
    this.ports.addIndex('network_id', (p) => [p.network_id]);
    this.ports.addIndex('device_id', (p) => (p.device_id ? [p.device_id] : []));
    this.ports.addIndex('project_id', (p) => [p.project_id]);
    // A MAC is unique per network: checked on every port create without scanning the network.
    this.ports.addIndex('network_mac', (p) => [`${p.network_id}/${p.mac_address}`]);
    this.ports.addIndex('subnet_id', (p) => p.fixed_ips.map((f) => f.subnet_id));
    this.securityGroupRules.addIndex('security_group_id', (r) => [r.security_group_id]);
    this.floatingips.addIndex('port_id', (f) => (f.port_id ? [f.port_id] : []));
    this.meteringLabelRules.addIndex('metering_label_id', (r) => [r.metering_label_id]);
  }
}
