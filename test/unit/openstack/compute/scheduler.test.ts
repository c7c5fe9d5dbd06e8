import { describe, expect, it } from 'vitest';
import type { Candidates } from '../../../../src/openstack/placement/candidates.js';
import { capabilitiesFit, imageFits, rankHosts, type HostInfo } from '../../../../src/openstack/compute/scheduler.js';

/** Three hosts in two zones, each with its free RAM given as capacity - used. */
function fleet(free: Record<string, number>): { candidates: Candidates; hostOf: (rp: string) => HostInfo | undefined } {
  const zones: Record<string, string> = { 'az1-hv-1': 'az1', 'az1-hv-2': 'az1', 'az2-hv-1': 'az2' };
  const candidates: Candidates = { providers: [], summaries: {} };
  for (const [name, mem] of Object.entries(free)) {
    candidates.providers.push(`rp-${name}`);
    candidates.summaries[`rp-${name}`] = { resources: { MEMORY_MB: { capacity: 100_000, used: 100_000 - mem } }, traits: [], parent_provider_uuid: null, root_provider_uuid: `rp-${name}` };
  }
  return { candidates, hostOf: (rp) => ({ name: rp.slice(3), zone: zones[rp.slice(3)]!, usable: true }) };
}

describe('rankHosts', () => {
  it('spreads by free RAM, most free first', () => {
    const { candidates, hostOf } = fleet({ 'az1-hv-1': 1000, 'az1-hv-2': 5000, 'az2-hv-1': 3000 });
    expect(rankHosts(candidates, hostOf, {})).toEqual(['az1-hv-2', 'az2-hv-1', 'az1-hv-1']);
  });

  it('keeps only the requested zone and the forced host', () => {
    const { candidates, hostOf } = fleet({ 'az1-hv-1': 1000, 'az1-hv-2': 5000, 'az2-hv-1': 3000 });
    expect(rankHosts(candidates, hostOf, { zone: 'az2' })).toEqual(['az2-hv-1']);
    expect(rankHosts(candidates, hostOf, { forcedHost: 'az1-hv-1' })).toEqual(['az1-hv-1']);
  });

  it('skips hosts whose compute service is down or disabled', () => {
    const { candidates } = fleet({ 'az1-hv-1': 1000, 'az1-hv-2': 5000 });
    const hostOf = (rp: string): HostInfo => ({ name: rp.slice(3), zone: 'az1', usable: rp !== 'rp-az1-hv-2' });
    expect(rankHosts(candidates, hostOf, {})).toEqual(['az1-hv-1']);
  });

  it('honours anti-affinity (hard and max_server_per_host) and affinity', () => {
    const { candidates, hostOf } = fleet({ 'az1-hv-1': 1000, 'az1-hv-2': 5000, 'az2-hv-1': 3000 });
    expect(rankHosts(candidates, hostOf, { group: { policy: 'anti-affinity', memberHosts: ['az1-hv-2'] } })).toEqual(['az2-hv-1', 'az1-hv-1']);
    expect(rankHosts(candidates, hostOf, { group: { policy: 'anti-affinity', memberHosts: ['az1-hv-2'], maxServerPerHost: 2 } })).toEqual(['az1-hv-2', 'az2-hv-1', 'az1-hv-1']);
    expect(rankHosts(candidates, hostOf, { group: { policy: 'affinity', memberHosts: ['az1-hv-1'] } })).toEqual(['az1-hv-1']);
    expect(rankHosts(candidates, hostOf, { group: { policy: 'affinity', memberHosts: [] } })).toEqual(['az1-hv-2', 'az2-hv-1', 'az1-hv-1']);
  });

  it('lets soft policies outweigh free RAM without filtering', () => {
    const { candidates, hostOf } = fleet({ 'az1-hv-1': 1000, 'az1-hv-2': 5000 });
    expect(rankHosts(candidates, hostOf, { group: { policy: 'soft-anti-affinity', memberHosts: ['az1-hv-2'] } })).toEqual(['az1-hv-1', 'az1-hv-2']);
    expect(rankHosts(candidates, hostOf, { group: { policy: 'soft-affinity', memberHosts: ['az1-hv-1'] } })).toEqual(['az1-hv-1', 'az1-hv-2']);
  });

  it('finds no host for an image or flavor the fleet cannot run', () => {
    const { candidates, hostOf } = fleet({ 'az1-hv-1': 1000 });
    expect(imageFits({ architecture: 'aarch64' })).toBe(false);
    expect(imageFits({ architecture: 'x86_64', img_hv_type: 'kvm' })).toBe(true);
    expect(capabilitiesFit({ 'capabilities:hypervisor_type': 'QEMU' })).toBe(true);
    expect(capabilitiesFit({ 'capabilities:hypervisor_type': 'xen' })).toBe(false);
    expect(capabilitiesFit({ 'hw:cpu_policy': 'dedicated' })).toBe(true);
    expect(rankHosts(candidates, hostOf, { imageProperties: { architecture: 'ppc64' } })).toEqual([]);
  });
});
