/** clouds.yaml for the openstack CLI and openstacksdk: cloud `kos` (admin) and `kos-demo`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export function writeCloudsYaml(opts: {
  dataDir: string;
  authUrl: string;
  region: string;
  adminPassword: string;
  demoPassword: string;
}): string {
  const cloud = (username: string, password: string, project: string) => ({
    auth: {
      auth_url: opts.authUrl,
      username,
      password,
      project_name: project,
      user_domain_name: 'Default',
      project_domain_name: 'Default',
    },
    region_name: opts.region,
    interface: 'public',
    identity_api_version: 3,
  });
  const file = join(opts.dataDir, 'clouds.yaml');
  const doc = {
    clouds: {
      kos: cloud('admin', opts.adminPassword, 'admin'),
      'kos-demo': cloud('demo', opts.demoPassword, 'demo'),
    },
  };
  writeFileSync(file, stringify(doc), { mode: 0o600 });
  return file;
}
