import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { services } from '../../../../../src/kubernetes/apiserver/resources/services.js';
import { RangeAllocator } from '../../../../../src/kubernetes/controllers/services/allocation/range-allocator.js';
import { ServiceAllocations } from '../../../../../src/kubernetes/controllers/services/allocation/service-allocations.js';
import { statusOf } from '../../apiserver/world.js';
import { servicesWorld, type ServicesWorld } from './harness.js';

let w: ServicesWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const spec = (o: KubeObject): Record<string, unknown> => o.spec as Record<string, unknown>;
const nodePorts = (o: KubeObject): number[] => (spec(o).ports as { nodePort?: number }[]).map((p) => p.nodePort ?? 0);

describe('RangeAllocator', () => {
  it('hands out values from the dynamic band upwards, wraps into the static band, and honours holds and reservations', () => {
    const a = new RangeAllocator({ min: 1, max: 5, dynamicStart: 4, reservationTtlMs: 1000 });
    expect(a.allocate('x', 0)).toBe(4);
    expect(a.allocate('y', 0)).toBe(5);
    expect(a.allocate('z', 0)).toBe(1);
    a.hold(2, 'h');
    expect(a.allocate('q', 0)).toBe(3);
    expect(a.allocate('r', 0)).toBeUndefined();
    expect(a.reserve(2, 'other', 0)).toBe(false);
    // A reservation never confirmed by the store lapses.
    expect(a.ownerOf(4, 2000)).toBeUndefined();
    expect(a.allocate('s', 2000)).toBe(4);
  });

  it('a dry run picks without reserving', () => {
    const a = new RangeAllocator({ min: 10, max: 12, dynamicStart: 10, reservationTtlMs: 1000 });
    expect(a.allocate('x', 0, true)).toBe(10);
    expect(a.allocate('x', 0, true)).toBe(10);
  });
});

describe('ServiceAllocations', () => {
  it('sizes the static bands as upstream and reads what a stored Service holds', () => {
    const s = new ServiceAllocations();
    expect(s.firstIP()).toBe('10.96.0.1');
    expect(s.ips.allocate('a', 0)).toBe(s.cidr.base + 257);
    expect(s.nodePorts.allocate('a', 0)).toBe(30086);
    s.observe('ns/x', { apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] } });
    expect(s.ips.ownerOf(s.cidr.base + 10, 0)).toBe('ns/x');
    expect(s.nodePorts.ownerOf(30080, 0)).toBe('ns/x');
    s.forget('ns/x');
    expect(s.ips.ownerOf(s.cidr.base + 10, 0)).toBeUndefined();
    expect(s.nodePorts.ownerOf(30080, 0)).toBeUndefined();
  });
});

describe('service allocation admission', () => {
  it('assigns a cluster IP, families, and node ports; headless and ExternalName get none', async () => {
    w = await servicesWorld();
    const svc = await w.registry.create(services, 'default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    expect(spec(svc)).toMatchObject({ clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    const np = await w.registry.create(services, 'default', { metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } });
    expect(spec(np).clusterIP).toBe('10.96.1.2');
    expect(nodePorts(np)).toEqual([30086, 30087]);
    expect(spec(np).externalTrafficPolicy).toBe('Cluster');
    const headless = await w.registry.create(services, 'default', { metadata: { name: 'hl' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } });
    expect(spec(headless)).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilyPolicy: 'SingleStack' });
    const ext = await w.registry.create(services, 'default', { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    expect(spec(ext).clusterIP).toBeUndefined();
  });

  it('honours requested values and refuses taken or out-of-range ones with upstream messages', async () => {
    w = await servicesWorld();
    const dns = await w.registry.create(services, 'default', { metadata: { name: 'dns' }, spec: { clusterIP: '10.96.0.10', selector: { a: 'b' }, ports: [{ port: 53 }] } });
    expect(spec(dns).clusterIP).toBe('10.96.0.10');
    const taken = await statusOf(w.registry.create(services, 'default', { metadata: { name: 'dns2' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 53 }] } }));
    expect(taken.code).toBe(422);
    expect(taken.message).toBe('Service "dns2" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated');
    const outside = await statusOf(w.registry.create(services, 'default', { metadata: { name: 'far' }, spec: { clusterIP: '10.0.0.5', ports: [{ port: 53 }] } }));
    expect(outside.message).toBe(
      'Service "far" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    await w.registry.create(services, 'default', { metadata: { name: 'p1' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } });
    const portTaken = await statusOf(w.registry.create(services, 'default', { metadata: { name: 'p2' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } }));
    expect(portTaken.message).toBe('Service "p2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    const portRange = await statusOf(w.registry.create(services, 'default', { metadata: { name: 'p3' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] } }));
    expect(portRange.message).toBe('Service "p3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
    // A refused create leaves nothing reserved: the address p2 was given before its node port was refused is free.
    const next = await w.registry.create(services, 'default', { metadata: { name: 'next' }, spec: { clusterIP: '10.96.1.2', ports: [{ port: 1 }] } });
    expect(spec(next).clusterIP).toBe('10.96.1.2');
  });

  it('keeps the cluster IP on update, refuses a change, allocates node ports for a new NodePort type, frees on delete', async () => {
    w = await servicesWorld();
    const cw = w;
    await cw.registry.create(services, 'default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    // A PUT without clusterIP (kubectl replace of the original manifest) keeps it.
    const kept = await cw.registry.updateWith(services, 'default', 'web', (cur) => ({ ...cur, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }));
    expect(spec(kept).clusterIP).toBe('10.96.1.1');
    const changed = await statusOf(cw.registry.updateWith(services, 'default', 'web', (cur) => ({ ...cur, spec: { ...spec(cur), clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'] } })));
    expect(changed.message).toBe('Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.50"]: may not change once set');
    const np = await cw.registry.updateWith(services, 'default', 'web', (cur) => ({ ...cur, spec: { ...spec(cur), type: 'NodePort' } }));
    expect(nodePorts(np)).toEqual([30086]);
    // Back to ClusterIP: the node port goes with the type.
    const back = await cw.registry.updateWith(services, 'default', 'web', (cur) => ({ ...cur, spec: { ...spec(cur), type: 'ClusterIP' } }));
    expect(nodePorts(back)).toEqual([0]);
    await cw.registry.delete(services, 'default', 'web');
    await cw.eventually(() => true);
    const again = await cw.registry.create(services, 'default', { metadata: { name: 'reuse' }, spec: { clusterIP: '10.96.1.1', type: 'NodePort', ports: [{ port: 80, nodePort: 30086 }] } });
    expect(spec(again).clusterIP).toBe('10.96.1.1');
  });

  it('never gives two concurrent creates the same address, and rebuilds from the store after a restart', async () => {
    w = await servicesWorld();
    const cw = w;
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cw.registry.create(services, 'default', { metadata: { name: `s${i}` }, spec: { type: 'NodePort', ports: [{ port: 80 }] } })),
    );
    const ips = created.map((s) => String(spec(s).clusterIP));
    const ports = created.flatMap(nodePorts);
    expect(new Set(ips).size).toBe(20);
    expect(new Set(ports).size).toBe(20);
    await cw.manager.stop();
    const restarted = cw.newManager();
    await restarted.start();
    const later = await cw.registry.create(services, 'default', { metadata: { name: 'later' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    expect(ips).not.toContain(spec(later).clusterIP);
    expect(ports).not.toContain(nodePorts(later)[0]);
    const clash = await statusOf(cw.registry.create(services, 'default', { metadata: { name: 'clash' }, spec: { clusterIP: ips[3], ports: [{ port: 80 }] } }));
    expect(clash.code).toBe(422);
  });
});
