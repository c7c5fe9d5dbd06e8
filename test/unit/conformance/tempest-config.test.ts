import { describe, expect, it } from 'vitest';
import { findSuite, SUITES } from '../../conformance/suites.js';
import { baseTempestConfig, tempestConfig } from '../../conformance/tempest-config.js';

const target = { identityUri: 'http://127.0.0.1:41234/v3', adminPassword: 's3cret', workspace: '/w/identity-1' };

describe('tempest.conf', () => {
  it('points tempest at kos with dynamic credentials and the admin account', () => {
    const text = tempestConfig(findSuite('identity')!, target);
    expect(text).toContain('[identity]\nuri_v3 = http://127.0.0.1:41234/v3\nauth_version = v3\n');
    expect(text).toContain('admin_password = s3cret\n');
    expect(text).toContain('use_dynamic_credentials = true\n');
    expect(text).toContain('create_isolated_networks = false\n');
    expect(text).toContain('log_dir = /w/identity-1/logs\n');
    expect(text).toContain('lock_path = /w/identity-1/tempest_lock\n');
  });

  it('offers what a stock Keystone offers, minus security compliance', () => {
    const features = baseTempestConfig(target)['identity-feature-enabled'];
    expect(features).toMatchObject({
      trust: true, api_v3: true, access_rules: true, application_credentials: true, project_tags: true,
      security_compliance: false, immutable_user_source: false, domain_specific_drivers: false,
    });
  });

  it('switches every other service off for the identity suite', () => {
    const text = tempestConfig(findSuite('identity')!, target);
    for (const service of ['nova', 'neutron', 'glance', 'cinder', 'swift', 'horizon']) {
      expect(text).toContain(`${service} = false\n`);
    }
  });
});

describe('suites', () => {
  it('have unique names and anchored, whitespace-free regexes', () => {
    expect(new Set(SUITES.map((s) => s.name)).size).toBe(SUITES.length);
    for (const suite of SUITES) {
      expect(suite.regexes.length).toBeGreaterThan(0);
      for (const regex of suite.regexes) expect(regex).toMatch(/^\^\S+$/);
    }
  });

  it('select the identity v3 tests', () => {
    const identity = findSuite('identity')!;
    const matches = (id: string): boolean => identity.regexes.some((r) => new RegExp(r).test(id));
    expect(matches('tempest.api.identity.admin.v3.test_roles.RolesV3TestJSON.test_role_create_update_show_list')).toBe(true);
    expect(matches('tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token')).toBe(true);
    expect(matches('tempest.api.identity.admin.v2.test_roles.RolesTestJSON.test_list_roles')).toBe(false);
    expect(matches('tempest.api.compute.servers.test_servers.ServersTestJSON.test_x')).toBe(false);
    expect(findSuite('nope')).toBeUndefined();
  });
});
