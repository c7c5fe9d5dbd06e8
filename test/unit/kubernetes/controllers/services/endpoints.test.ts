import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject, KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { endpoints } from '../../../../../src/kubernetes/apiserver/resources/endpoints.js';
import { endpointslices } from '../../../../../src/kubernetes/apiserver/resources/endpointslices.js';
import { nodes } from '../../../../../src/kubernetes/apiserver/resources/nodes.js';
import { pods } from '../../../../../src/kubernetes/apiserver/resources/pods.js';
import { services } from '../../../../../src/kubernetes/apiserver/resources/services.js';
import { desiredEndpoints, maxEndpointsAddresses } from '../../../../../src/kubernetes/controllers/services/endpoints/endpoints-subsets.js';
import type { PodEndpoint } from '../../../../../src/kubernetes/controllers/services/endpoints/pod-endpoints.js';
import { podEndpoint, serviceView } from '../../../../../src/kubernetes/controllers/services/endpoints/pod-endpoints.js';
import { planSlices, type DesiredSliceEndpoint } from '../../../../../src/kubernetes/controllers/services/endpoints/slice-plan.js';
import { podBody, running, servicesWorld, type ServicesWorld } from './harness.js';

let w: ServicesWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ep = (ip: string, name: string, ready: boolean, ports = [{ name: 'http', port: 8080, protocol: 'TCP' }]): PodEndpoint => ({
  ip,
  pod: { namespace: 'ns', name, uid: `uid-${name}` },
  podReady: ready,
  publishNotReady: false,
  terminating: false,
  ports,
});

describe('endpoint computation', () => {
  it('resolves named target ports per pod and leaves out pods without an IP, finished or terminating', () => {
    const svc = serviceView({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns', uid: 'u' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }, { name: 'raw', port: 81, targetPort: 9000, protocol: 'TCP' }] } })!;
    const pod = (status: JsonObject, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', uid: 'pu', ...extra },
      spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'web', containerPort: 8080 }] }] },
      status,
    });
    expect(podEndpoint(svc, pod(running('10.0.0.1')), false)).toMatchObject({
      ip: '10.0.0.1',
      nodeName: 'n1',
      podReady: true,
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'raw', port: 9000, protocol: 'TCP' },
      ],
    });
    expect(podEndpoint(svc, pod({ phase: 'Pending' }), false)).toBeUndefined();
    expect(podEndpoint(svc, pod({ ...running('10.0.0.1'), phase: 'Succeeded' }), false)).toBeUndefined();
    expect(podEndpoint(svc, pod(running('10.0.0.1'), { deletionTimestamp: '2026-01-01T00:00:00Z' }), false)).toBeUndefined();
    expect(podEndpoint(svc, pod(running('10.0.0.1'), { deletionTimestamp: '2026-01-01T00:00:00Z' }), true)?.terminating).toBe(true);
  });

  it('groups Endpoints subsets by port set, ready apart from not ready, sorted by IP, truncated past 1000', () => {
    const out = desiredEndpoints([ep('10.0.0.10', 'b', true), ep('10.0.0.9', 'a', true), ep('10.0.0.2', 'c', false), ep('10.0.0.3', 'd', true, [{ name: 'http', port: 9090, protocol: 'TCP' }])]);
    expect(out.truncated).toBe(false);
    expect(out.subsets).toEqual([
      {
        addresses: [
          { ip: '10.0.0.9', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' } },
          { ip: '10.0.0.10', targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'uid-b' } },
        ],
        notReadyAddresses: [{ ip: '10.0.0.2', targetRef: { kind: 'Pod', namespace: 'ns', name: 'c', uid: 'uid-c' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      { addresses: [{ ip: '10.0.0.3', targetRef: { kind: 'Pod', namespace: 'ns', name: 'd', uid: 'uid-d' } }], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
    ]);
    const many = Array.from({ length: 1100 }, (_, i) => ep(`10.1.${Math.floor(i / 250)}.${i % 250}`, `p${i}`, i >= 100));
    const big = desiredEndpoints(many);
    expect(big.truncated).toBe(true);
    const s = big.subsets[0] as { addresses: unknown[]; notReadyAddresses: unknown[] };
    expect(s.addresses).toHaveLength(maxEndpointsAddresses);
    expect(s.notReadyAddresses).toBeUndefined();
  });

  it('plans slices of at most 100, keeping endpoints where they are and filling before creating', () => {
    const d = (i: number): DesiredSliceEndpoint => ({ key: `u${i}`, ports: [{ name: '', port: 80, protocol: 'TCP' }], endpoint: { addresses: [`10.0.${Math.floor(i / 200)}.${i % 200}`], targetRef: { uid: `u${i}` } } });
    const first = planSlices(Array.from({ length: 250 }, (_, i) => d(i)), []);
    expect(first.slices.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    expect(first.deletes).toEqual([]);
    const current = first.slices.map((s, i) => ({ name: `web-${i}`, addressType: 'IPv4', ports: s.ports, endpoints: s.endpoints }));
    // One pod from the first slice gone, one new pod: only the slices they touch change.
    const desired = [...Array.from({ length: 250 }, (_, i) => d(i)).filter((x) => x.key !== 'u5'), d(900)];
    const next = planSlices(desired, current);
    expect(next.deletes).toEqual([]);
    expect(next.slices.map((s) => [s.name, s.endpoints.length])).toEqual([
      ['web-0', 100],
      ['web-1', 100],
      ['web-2', 50],
    ]);
    expect(JSON.stringify(next.slices[1]!.endpoints)).toBe(JSON.stringify(current[1]!.endpoints));
    expect(next.slices[0]!.endpoints.some((e) => (e.targetRef as { uid: string }).uid === 'u900')).toBe(true);
    // Nothing left: one empty placeholder remains.
    const none = planSlices([], current);
    expect(none.slices).toEqual([{ name: 'web-0', ports: [], endpoints: [] }]);
    expect(none.deletes).toEqual(['web-1', 'web-2']);
    // The placeholder becomes the first real slice instead of being replaced.
    const refilled = planSlices([d(1)], [{ name: 'web-0', addressType: 'IPv4', ports: [], endpoints: [] }]);
    expect(refilled.deletes).toEqual([]);
    expect(refilled.slices).toEqual([{ name: 'web-0', ports: [{ name: '', port: 80, protocol: 'TCP' }], endpoints: [d(1).endpoint] }]);
  });
});

describe('endpoints and endpointslice controllers', () => {
  it('write Endpoints and EndpointSlices from selected pods and follow readiness, zones and deletion', async () => {
    w = await servicesWorld();
    const cw = w;
    await cw.registry.create(nodes, undefined, { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'az1' } } });
    await cw.registry.create(services, 'default', { metadata: { name: 'web', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    for (const [name, ip] of [['a', '10.244.0.5'], ['b', '10.244.0.6']] as const) {
      await cw.registry.create(pods, 'default', podBody(name, { app: 'web' }, { nodeName: 'n1', ports: [{ name: 'http', containerPort: 8080 }] }));
      await cw.setPodStatus('default', name, running(ip, name === 'a'));
    }
    await cw.registry.create(pods, 'default', podBody('other', { app: 'db' }));
    await cw.setPodStatus('default', 'other', running('10.244.0.7'));

    await cw.eventually(async () => ((await cw.read(endpoints, 'default', 'web'))?.subsets as unknown[] | undefined)?.length === 1);
    const eps = await cw.read(endpoints, 'default', 'web');
    expect(eps?.metadata.labels).toEqual({ tier: 'front', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
    const subset = (eps?.subsets as JsonObject[])[0]!;
    expect(subset.addresses).toEqual([{ ip: '10.244.0.5', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: expect.any(String) } }]);
    expect((subset.notReadyAddresses as JsonObject[]).map((a) => a.ip)).toEqual(['10.244.0.6']);
    expect(subset.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);

    await cw.eventually(async () => (await cw.read(endpointslices, 'default', 'web-0')) !== undefined);
    const slice = (await cw.read(endpointslices, 'default', 'web-0'))!;
    expect(slice.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toMatchObject([{ kind: 'Service', name: 'web', controller: true }]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([
      { addresses: ['10.244.0.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: expect.any(String) }, nodeName: 'n1', zone: 'az1' },
      { addresses: ['10.244.0.6'], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: expect.any(String) }, nodeName: 'n1', zone: 'az1' },
    ]);

    // b becomes ready: both controllers follow; an unchanged world writes nothing more.
    await cw.setPodStatus('default', 'b', running('10.244.0.6', true));
    await cw.eventually(async () => ((await cw.read(endpoints, 'default', 'web'))?.subsets as JsonObject[])[0]?.notReadyAddresses === undefined);
    await cw.eventually(async () => ((await cw.read(endpointslices, 'default', 'web-0'))?.endpoints as JsonObject[]).every((e) => (e.conditions as JsonObject).ready === true));
    const settled = (await cw.read(endpointslices, 'default', 'web-0'))!.metadata.resourceVersion;
    await cw.clock.advance(200);
    expect((await cw.read(endpointslices, 'default', 'web-0'))!.metadata.resourceVersion).toBe(settled);

    await cw.registry.delete(services, 'default', 'web');
    await cw.eventually(async () => (await cw.read(endpoints, 'default', 'web')) === undefined && (await cw.read(endpointslices, 'default', 'web-0')) === undefined);
  });

  it('publishNotReadyAddresses lists every pod as ready; a headless Service is labelled', async () => {
    w = await servicesWorld();
    const cw = w;
    await cw.registry.create(services, 'default', { metadata: { name: 'db' }, spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'db' }, ports: [{ port: 5432 }] } });
    await cw.registry.create(pods, 'default', podBody('db-0', { app: 'db' }));
    await cw.setPodStatus('default', 'db-0', running('10.244.1.2', false));
    await cw.eventually(async () => ((await cw.read(endpoints, 'default', 'db'))?.subsets as unknown[] | undefined)?.length === 1);
    const eps = (await cw.read(endpoints, 'default', 'db'))!;
    expect(eps.metadata.labels?.['service.kubernetes.io/headless']).toBe('');
    expect(((eps.subsets as JsonObject[])[0]!.addresses as JsonObject[]).map((a) => a.ip)).toEqual(['10.244.1.2']);
    await cw.eventually(async () => (await cw.read(endpointslices, 'default', 'db-0')) !== undefined);
    const slice = (await cw.read(endpointslices, 'default', 'db-0'))!;
    expect((slice.endpoints as JsonObject[])[0]!.conditions).toEqual({ ready: true, serving: false, terminating: false });
    expect(slice.metadata.labels?.['service.kubernetes.io/headless']).toBe('');
  });

  it('keeps the kubernetes Service and its endpoints in default', async () => {
    w = await servicesWorld({ apiServerPort: () => 7443 });
    const cw = w;
    await cw.eventually(async () => (await cw.read(endpointslices, 'default', 'kubernetes')) !== undefined);
    const svc = (await cw.read(services, 'default', 'kubernetes'))!;
    expect(svc.spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 7443 }] });
    expect((await cw.read(endpoints, 'default', 'kubernetes'))!.subsets).toEqual([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 7443, protocol: 'TCP' }] }]);
    await cw.registry.delete(endpoints, 'default', 'kubernetes');
    await cw.eventually(async () => (await cw.read(endpoints, 'default', 'kubernetes')) !== undefined);
  });
});
