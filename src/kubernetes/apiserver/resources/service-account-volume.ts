/**
 * The ServiceAccount admission plugin's pod mutation: unless the pod opts out
 * (automountServiceAccountToken: false), it gets a projected volume `kube-api-access-<xxxxx>`
 * with a bound token, the cluster CA bundle and its namespace, mounted read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every container — what `kubectl describe
 * pod` shows under Volumes on a real cluster.
 */
import { arrayAt, isObject, type JsonObject } from '../object.js';

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const volumePrefix = 'kube-api-access-';
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** A name suffix, not a secret: the real server draws it from a plain PRNG too. */
function suffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

function projectedVolume(name: string): JsonObject {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Add the token volume and its mounts to a pod spec being created, in place. */
export function mountServiceAccountToken(spec: JsonObject): void {
  if (spec.automountServiceAccountToken === false) return;
  const containers = ['initContainers', 'containers'].flatMap((list) => (arrayAt(spec, list) ?? []).filter(isObject));
  // A container that mounts something at the path already has its own (upstream skips the pod).
  const mounted = containers.some((c) => (arrayAt(c, 'volumeMounts') ?? []).some((m) => isObject(m) && m.mountPath === serviceAccountMountPath));
  if (mounted) return;
  const volumes = (arrayAt(spec, 'volumes') ?? []).slice();
  const name = `${volumePrefix}${suffix()}`;
  volumes.push(projectedVolume(name));
  spec.volumes = volumes;
  for (const c of containers) {
    const mounts = (arrayAt(c, 'volumeMounts') ?? []).slice();
    mounts.push({ name, readOnly: true, mountPath: serviceAccountMountPath });
    c.volumeMounts = mounts;
  }
}
