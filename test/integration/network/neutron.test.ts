/**
 * Neutron through the openstack CLI against a real kos (one per file): the admin builds a
 * network with IPv4 and IPv6 subnets, a port with a fixed IP, a router with a gateway and
 * an interface, a floating IP on the port and a security group; the demo project then
 * sees none of it and is refused admin-only attributes. Then plain HTTP for what the CLI
 * does not reach: metering, NeutronError bodies, agents, deleting an external network.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, startTestKos } from '../../support/kos.js';

const exec = promisify(execFile);
type Json = Record<string, unknown>;

let kos: Awaited<ReturnType<typeof startTestKos>>;
beforeAll(async () => {
  kos = await startTestKos();
}, 60_000);
afterAll(async () => {
  await kos.cleanup();
});

/** Run `openstack <args>` as a cloud of the clouds.yaml kos wrote; JSON output parsed. */
async function os(cloud: 'kos' | 'kos-demo', ...args: string[]): Promise<unknown> {
  const env = { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: cloud };
  const { stdout } = await exec('openstack', [...args, '-f', 'json'], { env });
  return JSON.parse(stdout) as unknown;
}
const admin = async (...args: string[]) => (await os('kos', ...args)) as Json;
const adminList = async (...args: string[]) => (await os('kos', ...args)) as Json[];
const demoList = async (...args: string[]) => (await os('kos-demo', ...args)) as Json[];

/** The stderr of a CLI call expected to fail. */
async function refusal(cloud: 'kos' | 'kos-demo', ...args: string[]): Promise<string> {
  const env = { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: cloud };
  try {
    await exec('openstack', args, { env });
  } catch (e) {
    return (e as { stderr: string }).stderr;
  }
  throw new Error(`openstack ${args.join(' ')} succeeded`);
}

describe('the openstack CLI on Neutron', () => {
  const made: Record<string, string> = {};

  it('builds networks, subnets, a port, a router, a floating IP and a security group as admin', async () => {
    const net = await admin('network', 'create', 'cli-net');
    made.network = net.id as string;
    expect(net.status).toBe('ACTIVE');
    expect(net['router:external']).toBe(false);

    const v4 = await admin('subnet', 'create', 'cli-v4', '--network', 'cli-net', '--subnet-range', '10.50.0.0/24');
    expect(v4.gateway_ip).toBe('10.50.0.1');
    expect(v4.allocation_pools).toEqual([{ start: '10.50.0.2', end: '10.50.0.254' }]);
    const v6 = await admin('subnet', 'create', 'cli-v6', '--network', 'cli-net', '--ip-version', '6', '--subnet-range', 'fd50::/64',
      '--ipv6-ra-mode', 'slaac', '--ipv6-address-mode', 'slaac');
    expect(v6.ip_version).toBe(6);
    expect(v6.ipv6_address_mode).toBe('slaac');

    const port = await admin('port', 'create', 'cli-port', '--network', 'cli-net', '--mac-address', 'fa:16:3e:01:02:03',
      '--fixed-ip', 'subnet=cli-v4,ip-address=10.50.0.10');
    made.port = port.id as string;
    const ips = (port.fixed_ips as { subnet_id: string; ip_address: string }[]).map((f) => f.ip_address);
    // The explicit v4 address, plus the SLAAC address derived from the MAC.
    expect(ips).toEqual(['10.50.0.10', 'fd50::f816:3eff:fe01:203']);

    const router = await admin('router', 'create', 'cli-router');
    made.router = router.id as string;
    await exec('openstack', ['router', 'set', 'cli-router', '--external-gateway', 'public'], { env: { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: 'kos' } });
    await exec('openstack', ['router', 'add', 'subnet', 'cli-router', 'cli-v4'], { env: { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: 'kos' } });
    const shown = await admin('router', 'show', 'cli-router');
    const gw = shown.external_gateway_info as { network_id: string; enable_snat: boolean; external_fixed_ips: { ip_address: string }[] };
    expect(gw.enable_snat).toBe(true);
    expect(gw.external_fixed_ips[0]!.ip_address).toMatch(/^172\.24\.4\.\d+$/);
    const ifaces = (await adminList('port', 'list', '--router', 'cli-router', '--long'))
      .filter((p) => (p['Device Owner'] as string) === 'network:router_interface');
    expect(ifaces.map((p) => (p['Fixed IP Addresses'] as { ip_address: string }[])[0]!.ip_address)).toEqual(['10.50.0.1']);

    const fip = await admin('floating', 'ip', 'create', 'public');
    made.fip = fip.id as string;
    expect(fip.floating_ip_address).toMatch(/^172\.24\.4\.\d+$/);
    await exec('openstack', ['floating', 'ip', 'set', '--port', 'cli-port', made.fip], { env: { ...process.env, OS_CLIENT_CONFIG_FILE: kos.cloudsYaml, OS_CLOUD: 'kos' } });
    const bound = await admin('floating', 'ip', 'show', made.fip);
    expect(bound.port_id).toBe(made.port);
    expect(bound.fixed_ip_address).toBe('10.50.0.10');
    expect(bound.router_id).toBe(made.router);

    const sg = await admin('security', 'group', 'create', 'cli-sg', '--description', 'ssh in');
    made.sg = sg.id as string;
    const rule = await admin('security', 'group', 'rule', 'create', 'cli-sg', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0');
    expect([rule.protocol, rule.port_range_min, rule.port_range_max, rule.remote_ip_prefix, rule.direction]).toEqual(['tcp', 22, 22, '0.0.0.0/0', 'ingress']);
    expect(await refusal('kos', 'security', 'group', 'rule', 'create', 'cli-sg', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0'))
      .toMatch(/already exists/);

    // Without hints a network is placed in the datacenter's first zone (kos has no DHCP agents to report).
    const firstZone = kos.config.datacenter.regions[0]!.zones[0]!.name;
    expect(await admin('network', 'show', 'cli-net', '-c', 'availability_zones')).toEqual({ availability_zones: [firstZone] });

    const quota = await admin('quota', 'show');
    expect([quota.networks, quota.subnets, quota.ports, quota.routers, quota['floating-ips'], quota['secgroups']]).toEqual([100, 100, 500, 10, 50, 10]);
  }, 120_000);

  it('shows the demo project none of it and refuses it admin-only attributes', async () => {
    expect(made.network).toBeDefined();
    const nets = await demoList('network', 'list');
    expect(nets.map((n) => n.Name).sort()).toEqual(['private', 'public']);
    const ports = await demoList('port', 'list');
    expect(ports.map((p) => p.ID)).not.toContain(made.port);
    expect((await demoList('router', 'list')).map((r) => r.Name)).toEqual(['router1']);
    expect((await demoList('floating', 'ip', 'list')).map((f) => f.ID)).not.toContain(made.fip);
    expect((await demoList('security', 'group', 'list')).map((g) => g.Name)).toEqual(['default']);
    // The public network is visible (external) but its subnet is not (not shared).
    const subnets = await demoList('subnet', 'list');
    expect(subnets.map((s) => s.Name)).toEqual(['private-subnet']);
    expect(await refusal('kos-demo', 'network', 'show', made.network!)).toMatch(/No Network found/);

    expect(await refusal('kos-demo', 'network', 'create', 'x', '--provider-network-type', 'vlan')).toMatch(/disallowed by policy/);
    expect(await refusal('kos-demo', 'network', 'create', 'x', '--share')).toMatch(/disallowed by policy/);
    expect(await refusal('kos-demo', 'router', 'create', 'x', '--distributed')).toMatch(/disallowed by policy/);
    expect(await refusal('kos-demo', 'quota', 'set', '--networks', '500', 'demo')).toMatch(/disallowed by policy|403|Forbidden/);
    // Nothing was created by the refused calls.
    expect((await demoList('network', 'list')).length).toBe(2);
  }, 120_000);

  it('answers over HTTP: metering for admins only, NeutronError bodies, external networks deleted with their floating IPs', async () => {
    const adminToken = await issueToken(kos.authUrl, 'admin', kos.adminPassword, 'admin');
    const demoToken = await issueToken(kos.authUrl, 'demo', kos.demoPassword, 'demo');
    const call = async (token: string, method: string, path: string, body?: Json) => {
      const res = await fetch(`${kos.url}/network/v2.0${path}`, {
        method, headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: res.status === 204 ? {} : ((await res.json()) as Json) };
    };

    const label = await call(adminToken, 'POST', '/metering/metering-labels', { metering_label: { name: 'egress-all', description: 'd' } });
    expect(label.status).toBe(201);
    const labelId = (label.body.metering_label as Json).id as string;
    const rule = await call(adminToken, 'POST', '/metering/metering-label-rules', { metering_label_rule: { metering_label_id: labelId, direction: 'egress', remote_ip_prefix: '10.0.0.0/8' } });
    expect(rule.status).toBe(201);
    expect(rule.body.metering_label_rule).toMatchObject({ direction: 'egress', excluded: false, remote_ip_prefix: '10.0.0.0/8', source_ip_prefix: null });
    const overlap = await call(adminToken, 'POST', '/metering/metering-label-rules', { metering_label_rule: { metering_label_id: labelId, direction: 'egress', remote_ip_prefix: '10.1.0.0/16' } });
    expect(overlap.status).toBe(409);
    expect((overlap.body.NeutronError as Json).type).toBe('MeteringLabelRuleOverlaps');
    const refused = await call(demoToken, 'POST', '/metering/metering-labels', { metering_label: { name: 'mine' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ NeutronError: { type: 'PolicyNotAuthorized', message: '(rule:create_metering_label) is disallowed by policy', detail: '' } });
    expect((await call(demoToken, 'GET', `/metering/metering-labels/${labelId}`)).status).toBe(404);
    expect((await call(adminToken, 'DELETE', `/metering/metering-labels/${labelId}`)).status).toBe(204);
    expect((await call(adminToken, 'GET', '/metering/metering-label-rules')).body).toEqual({ metering_label_rules: [] });

    // Agents: kos runs none, and Neutron filters rather than refuses the list for non-admins.
    expect(await call(demoToken, 'GET', '/agents')).toEqual({ status: 200, body: { agents: [] } });

    const ext = ((await call(adminToken, 'POST', '/networks', { network: { name: 'ext2', 'router:external': true } })).body.network as Json).id as string;
    expect((await call(adminToken, 'POST', '/subnets', { subnet: { network_id: ext, ip_version: 4, cidr: '198.51.100.0/24', enable_dhcp: false } })).status).toBe(201);
    const fip = ((await call(adminToken, 'POST', '/floatingips', { floatingip: { floating_network_id: ext } })).body.floatingip as Json).id as string;
    expect((await call(adminToken, 'DELETE', `/networks/${ext}`)).status).toBe(204);
    expect((await call(adminToken, 'GET', `/floatingips/${fip}`)).status).toBe(404);
    expect((await call(adminToken, 'GET', `/ports?network_id=${ext}`)).body).toEqual({ ports: [] });
  }, 30_000);
});
