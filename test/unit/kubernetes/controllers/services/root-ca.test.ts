import { afterEach, describe, expect, it } from 'vitest';
import { configmaps } from '../../../../../src/kubernetes/apiserver/resources/configmaps.js';
import { namespaces } from '../../../../../src/kubernetes/apiserver/resources/index.js';
import { servicesWorld, type ServicesWorld } from './harness.js';

let w: ServicesWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('root CA publisher', () => {
  it('writes kube-root-ca.crt into every namespace and puts it back when deleted or edited', async () => {
    w = await servicesWorld({ caPem: pem });
    const cw = w;
    await cw.registry.create(namespaces, undefined, { metadata: { name: 'team' } });
    await cw.eventually(async () => (await cw.read(configmaps, 'team', 'kube-root-ca.crt')) !== undefined && (await cw.read(configmaps, 'kube-system', 'kube-root-ca.crt')) !== undefined);
    expect((await cw.read(configmaps, 'team', 'kube-root-ca.crt'))!.data).toEqual({ 'ca.crt': pem });
    await cw.registry.delete(configmaps, 'team', 'kube-root-ca.crt');
    await cw.eventually(async () => (await cw.read(configmaps, 'team', 'kube-root-ca.crt')) !== undefined);
    await cw.registry.updateWith(configmaps, 'team', 'kube-root-ca.crt', (cur) => ({ ...cur, data: { 'ca.crt': 'tampered' } }));
    await cw.eventually(async () => ((await cw.read(configmaps, 'team', 'kube-root-ca.crt'))!.data as Record<string, string>)['ca.crt'] === pem);
  });

  it('writes nothing without a CA', async () => {
    w = await servicesWorld();
    await w.clock.advance(200);
    expect(await w.read(configmaps, 'default', 'kube-root-ca.crt')).toBeUndefined();
  });
});
