// tempest.conf for a kos under test: what every suite shares (a devstack-like Keystone with
// everything else switched off), with the suite's own sections merged over it. Option names
// are those of tempest 33 (tempest/config.py).
import { join } from 'node:path';
import { formatIni, mergeIni, type IniDocument } from './ini.js';
import type { Suite } from './suites.js';

export interface TempestTarget {
  /** Keystone v3, e.g. http://127.0.0.1:5000/v3 */
  readonly identityUri: string;
  readonly adminPassword: string;
  /** Absolute path of the tempest workspace (logs and locks go there). */
  readonly workspace: string;
}

export function baseTempestConfig(target: TempestTarget): IniDocument {
  return {
    DEFAULT: {
      debug: true,
      use_stderr: false,
      log_dir: join(target.workspace, 'logs'),
      log_file: 'tempest.log',
    },
    // Tempest serialises some cleanups across workers with file locks.
    oslo_concurrency: { lock_path: join(target.workspace, 'tempest_lock') },
    auth: {
      use_dynamic_credentials: true,
      admin_username: 'admin',
      admin_password: target.adminPassword,
      admin_project_name: 'admin',
      admin_domain_name: 'Default',
      default_credentials_domain_name: 'Default',
      // No Neutron yet: tempest must not try to build a network per test project.
      create_isolated_networks: false,
    },
    identity: {
      uri_v3: target.identityUri,
      auth_version: 'v3',
      region: 'RegionOne',
      v3_endpoint_type: 'public',
      admin_role: 'admin',
      default_domain_id: 'default',
      // Project-scoped admin tokens manage identity, as with Keystone's default policy.
      admin_domain_scope: false,
      // devstack's Keystone defaults; they only matter once security_compliance is on.
      user_lockout_failure_attempts: 2,
      user_lockout_duration: 10,
      user_unique_last_password_count: 2,
    },
    // What a stock Keystone offers. `external_idp` is not an option of tempest 33.
    'identity-feature-enabled': {
      api_v2: false,
      api_v2_admin: false,
      api_v3: true,
      trust: true,
      access_rules: true,
      application_credentials: true,
      project_tags: true,
      // kos has no PCI-DSS settings (lockout, password history, expiry) yet.
      security_compliance: false,
      immutable_user_source: false,
      domain_specific_drivers: false,
    },
    // Tempest's in-tree switches; suites flip theirs on (plugins add their own keys).
    service_available: {
      nova: false,
      neutron: false,
      glance: false,
      cinder: false,
      swift: false,
      horizon: false,
    },
    // No guest reachability checks (ssh/ping into servers).
    validation: { run_validation: false },
    // Image web-download imports fetch this: kos's own health endpoint, so no test
    // depends on the internet.
    image: { http_image: target.identityUri.replace(/\/v3\/?$/, '/healthz') },
  };
}

export function tempestConfig(suite: Suite, target: TempestTarget): string {
  return formatIni(mergeIni(baseTempestConfig(target), suite.config));
}
