/**
 * Neutron's resources as stored: the wire shape minus what views derive (tenant_id,
 * subnets of a network, a port's status is stored because the data plane changes it).
 */
export interface StandardAttrs {
  id: string;
  project_id: string;
  description: string;
  tags: string[];
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface Network extends StandardAttrs {
  name: string;
  admin_state_up: boolean;
  shared: boolean;
  'router:external': boolean;
  mtu: number;
  port_security_enabled: boolean;
  availability_zone_hints: string[];
  status: string;
  'provider:network_type': string;
  'provider:physical_network': string | null;
  'provider:segmentation_id': number | null;
  dns_domain: string;
  is_default: boolean;
}

export interface AllocationPool {
  start: string;
  end: string;
}

export interface HostRoute {
  destination: string;
  nexthop: string;
}

export interface Subnet extends StandardAttrs {
  name: string;
  network_id: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  enable_dhcp: boolean;
  dns_nameservers: string[];
  host_routes: HostRoute[];
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  subnetpool_id: string | null;
  service_types: string[];
  segment_id: string | null;
  dns_publish_fixed_ip: boolean;
}

export interface SubnetPool extends StandardAttrs {
  name: string;
  prefixes: string[];
  ip_version: 4 | 6;
  default_prefixlen: number;
  min_prefixlen: number;
  max_prefixlen: number;
  default_quota: number | null;
  shared: boolean;
  is_default: boolean;
  address_scope_id: string | null;
}

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface Port extends StandardAttrs {
  name: string;
  network_id: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  fixed_ips: FixedIp[];
  device_id: string;
  device_owner: string;
  security_groups: string[];
  allowed_address_pairs: { ip_address: string; mac_address: string }[];
  port_security_enabled: boolean;
  extra_dhcp_opts: { opt_name: string; opt_value: string; ip_version: number }[];
  'binding:host_id': string;
  'binding:vif_type': string;
  'binding:vif_details': Record<string, unknown>;
  'binding:vnic_type': string;
  'binding:profile': Record<string, unknown>;
  dns_name: string;
  propagate_uplink_status: boolean;
}

export interface ExternalGatewayInfo {
  network_id: string;
  enable_snat: boolean;
  external_fixed_ips: FixedIp[];
}

export interface Router extends StandardAttrs {
  name: string;
  admin_state_up: boolean;
  status: string;
  external_gateway_info: ExternalGatewayInfo | null;
  routes: HostRoute[];
  distributed: boolean;
  ha: boolean;
  availability_zone_hints: string[];
  flavor_id: string | null;
}

export interface FloatingIp extends StandardAttrs {
  floating_network_id: string;
  floating_ip_address: string;
  /** The port holding the floating address on the external network. */
  floating_port_id: string;
  port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
  status: string;
  dns_domain: string;
  dns_name: string;
}

export interface SecurityGroup extends StandardAttrs {
  name: string;
  stateful: boolean;
  shared: boolean;
}

export interface SecurityGroupRule extends StandardAttrs {
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  normalized_cidr: string | null;
  belongs_to_default_sg: boolean;
}

export interface AddressGroup extends StandardAttrs {
  name: string;
  addresses: string[];
}

export interface MeteringLabel extends StandardAttrs {
  name: string;
  shared: boolean;
}

export interface MeteringLabelRule extends StandardAttrs {
  metering_label_id: string;
  direction: 'ingress' | 'egress';
  remote_ip_prefix: string | null;
  source_ip_prefix: string | null;
  destination_ip_prefix: string | null;
  excluded: boolean;
}

/** Per-project quota overrides; absent keys take the defaults. */
export interface QuotaSet {
  id: string;
  limits: Record<string, number>;
}

/** Which project owns the default security group of which id. */
export interface DefaultSecurityGroup {
  id: string;
  security_group_id: string;
}

/** Segmentation ids handed to tenant networks (vxlan VNIs), by network id. */
export interface SegmentAllocation {
  id: string;
  network_type: string;
  segmentation_id: number;
}
