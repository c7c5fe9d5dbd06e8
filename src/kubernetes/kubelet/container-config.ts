/**
 * A pod's container spec as a runtime ContainerConfig: the environment (image defaults,
 * env with fieldRef/configMapKeyRef/secretKeyRef, envFrom), mounts and requests.
 */
import type { ContainerConfig } from '../../drivers/runtime/types.js';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../apiserver/object.js';
import { parseQuantity } from '../apiserver/resources/quantity.js';
import { containerMounts, podField, type VolumeSources } from './volumes.js';

export interface PodAddresses {
  podIP: string;
  hostIP: string;
  hostname: string;
}

const strings = (v: unknown[] | undefined): string[] => (v ?? []).filter((x): x is string => typeof x === 'string');

/** `$(VAR)` references to earlier variables, as the kubelet expands them. */
const expandRefs = (value: string, env: Record<string, string>): string =>
  value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => (name === undefined ? '$' : (env[name] ?? m)));

function decodeSecretValue(v: unknown): string | undefined {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

export function containerEnv(pod: KubeObject, container: JsonObject, addrs: PodAddresses, sources: VolumeSources): Record<string, string> {
  const ns = pod.metadata.namespace ?? '';
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: addrs.hostname,
    HOME: '/root',
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
  };
  for (const from of (arrayAt(container, 'envFrom') ?? []).filter(isObject)) {
    const prefix = stringAt(from, 'prefix') ?? '';
    const cmRef = objectAt(from, 'configMapRef');
    const secRef = objectAt(from, 'secretRef');
    if (cmRef) {
      const cm = sources.configMap(ns, stringAt(cmRef, 'name') ?? '');
      for (const [k, v] of Object.entries(objectAt(cm ?? { apiVersion: '', kind: '', metadata: {} }, 'data') ?? {})) if (typeof v === 'string') env[prefix + k] = v;
    }
    if (secRef) {
      const sec = sources.secret(ns, stringAt(secRef, 'name') ?? '');
      for (const [k, v] of Object.entries(objectAt(sec ?? { apiVersion: '', kind: '', metadata: {} }, 'data') ?? {})) {
        const d = decodeSecretValue(v);
        if (d !== undefined) env[prefix + k] = d;
      }
    }
  }
  for (const e of (arrayAt(container, 'env') ?? []).filter(isObject)) {
    const name = stringAt(e, 'name');
    if (!name) continue;
    const value = stringAt(e, 'value');
    if (value !== undefined) {
      env[name] = expandRefs(value, env);
      continue;
    }
    const from = objectAt(e, 'valueFrom') ?? {};
    const field = stringAt(objectAt(from, 'fieldRef') ?? {}, 'fieldPath');
    const cmKey = objectAt(from, 'configMapKeyRef');
    const secKey = objectAt(from, 'secretKeyRef');
    let v: string | undefined;
    if (field === 'status.podIP') v = addrs.podIP;
    else if (field === 'status.hostIP') v = addrs.hostIP;
    else if (field) v = podField(pod, field);
    else if (cmKey) v = stringAt(objectAt(sources.configMap(ns, stringAt(cmKey, 'name') ?? '') ?? { apiVersion: '', kind: '', metadata: {} }, 'data') ?? {}, stringAt(cmKey, 'key') ?? '');
    else if (secKey) v = decodeSecretValue((objectAt(sources.secret(ns, stringAt(secKey, 'name') ?? '') ?? { apiVersion: '', kind: '', metadata: {} }, 'data') ?? {})[stringAt(secKey, 'key') ?? '']);
    if (v !== undefined) env[name] = v;
  }
  return env;
}

export function containerRequests(container: JsonObject): { cpu?: number; memory?: number } {
  const requests = objectAt(objectAt(container, 'resources') ?? {}, 'requests') ?? {};
  const cpu = parseQuantity(requests.cpu);
  const memory = parseQuantity(requests.memory);
  return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
}

export function containerConfig(pod: KubeObject, container: JsonObject, init: boolean, addrs: PodAddresses, sources: VolumeSources): ContainerConfig {
  const env = containerEnv(pod, container, addrs, sources);
  const workingDir = stringAt(container, 'workingDir');
  return {
    name: stringAt(container, 'name') ?? '',
    image: stringAt(container, 'image') ?? '',
    // $(VAR) in command and args expands from the container's environment.
    command: strings(arrayAt(container, 'command')).map((s) => expandRefs(s, env)),
    args: strings(arrayAt(container, 'args')).map((s) => expandRefs(s, env)),
    env,
    mounts: containerMounts(pod, container, sources),
    ...(workingDir ? { workingDir } : {}),
    requests: containerRequests(container),
    stdin: container.stdin === true,
    tty: container.tty === true,
    init,
  };
}
