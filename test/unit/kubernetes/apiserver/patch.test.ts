import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../src/kubernetes/apiserver/patch.js';

const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };
const body = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));

const current = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx', env: [{ name: 'A', value: '1' }], ports: [] }] } } },
};

describe('strategic merge patch', () => {
  it('drops a list the patch emptied, as the typed round trip does, and keeps lists that were empty', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'A', $patch: 'delete' }] }] } } } };
    const out = applyPatch('application/strategic-merge-patch+json', current, body(patch), deployment) as typeof current;
    expect(out.spec.template.spec.containers[0]).toEqual({ name: 'nginx', image: 'nginx', ports: [] });
    expect(current.spec.template.spec.containers[0]!.env).toHaveLength(1);
  });

  it('merges containers by name', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } };
    const out = applyPatch('application/strategic-merge-patch+json', current, body(patch), deployment) as typeof current;
    expect(out.spec.template.spec.containers[0]).toMatchObject({ image: 'nginx:1.28', env: [{ name: 'A', value: '1' }] });
  });
});
