import { describe, expect, it } from 'vitest';
import { mountServiceAccountToken, serviceAccountMountPath } from '../../../../src/kubernetes/apiserver/resources/service-account-volume.js';

describe('service account token volume', () => {
  it('adds a projected kube-api-access volume mounted read-only in every container', () => {
    const spec: Record<string, unknown> = { initContainers: [{ name: 'init' }], containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'x', mountPath: '/x' }] }] };
    mountServiceAccountToken(spec);
    const volumes = spec.volumes as { name: string; projected: { sources: Record<string, unknown>[] } }[];
    expect(volumes).toHaveLength(1);
    expect(volumes[0]!.name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(volumes[0]!.projected.sources.map((s) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    const containers = [...(spec.initContainers as { volumeMounts: unknown[] }[]), ...(spec.containers as { volumeMounts: unknown[] }[])];
    for (const c of containers) expect(c.volumeMounts).toContainEqual({ name: volumes[0]!.name, readOnly: true, mountPath: serviceAccountMountPath });
  });

  it('leaves pods that opt out or mount the path themselves alone', () => {
    const optOut: Record<string, unknown> = { automountServiceAccountToken: false, containers: [{ name: 'a' }] };
    mountServiceAccountToken(optOut);
    expect(optOut.volumes).toBeUndefined();
    const own: Record<string, unknown> = { containers: [{ name: 'a', volumeMounts: [{ name: 't', mountPath: serviceAccountMountPath }] }] };
    mountServiceAccountToken(own);
    expect(own.volumes).toBeUndefined();
  });
});
