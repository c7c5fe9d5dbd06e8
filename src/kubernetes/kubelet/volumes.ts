/**
 * Pod volumes as the runtime's mounts: configMap, secret (decoded from base64),
 * downwardAPI, emptyDir and projected (including the service account token) become
 * files read from the informer caches when the runtime looks at them, so an updated
 * ConfigMap shows through. Other volume types mount as empty directories.
 */
import type { Mount, MountSource } from '../../drivers/runtime/types.js';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../apiserver/object.js';
import { configmaps } from '../apiserver/resources/configmaps.js';
import { secrets } from '../apiserver/resources/secrets.js';
import type { ClusterContext } from '../controllers/context.js';

type Files = Map<string, Uint8Array>;

export interface VolumeSources {
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
}

export function informerVolumeSources(ctx: ClusterContext): VolumeSources {
  const cm = ctx.informers.forKind(configmaps);
  const sec = ctx.informers.forKind(secrets);
  return {
    configMap: (ns, name) => cm.get(ctx.registry.keys.key(configmaps, ns, name)),
    secret: (ns, name) => sec.get(ctx.registry.keys.key(secrets, ns, name)),
  };
}

/** Key → bytes of a ConfigMap (data and binaryData) or a Secret (data decoded, stringData). */
function configMapData(o: KubeObject): Files {
  const out: Files = new Map();
  for (const [k, v] of Object.entries(objectAt(o, 'data') ?? {})) if (typeof v === 'string') out.set(k, Buffer.from(v));
  for (const [k, v] of Object.entries(objectAt(o, 'binaryData') ?? {})) if (typeof v === 'string') out.set(k, Buffer.from(v, 'base64'));
  return out;
}

function secretData(o: KubeObject): Files {
  const out: Files = new Map();
  for (const [k, v] of Object.entries(objectAt(o, 'data') ?? {})) if (typeof v === 'string') out.set(k, Buffer.from(v, 'base64'));
  return out;
}

/** Keys chosen by `items` (key → path), or every key under its own name. */
function pick(data: Files, items: unknown[] | undefined, into: Files, dir = ''): void {
  const prefix = dir ? `${dir}/` : '';
  if (!items) {
    for (const [k, v] of data) into.set(prefix + k, v);
    return;
  }
  for (const item of items.filter(isObject)) {
    const key = stringAt(item, 'key');
    const path = stringAt(item, 'path');
    const v = key === undefined ? undefined : data.get(key);
    if (v && path) into.set(prefix + path, v);
  }
}

/** A downward API field of the pod as text (labels and annotations as key="value" lines). */
export function podField(pod: KubeObject, path: string): string | undefined {
  const meta = pod.metadata;
  const lines = (m: Record<string, string> | undefined): string =>
    Object.entries(m ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n');
  const spec = objectAt(pod, 'spec') ?? {};
  const status = objectAt(pod, 'status') ?? {};
  const mapEntry = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (mapEntry) return (mapEntry[1] === 'labels' ? meta.labels : meta.annotations)?.[mapEntry[2]!];
  switch (path) {
    case 'metadata.name':
      return meta.name;
    case 'metadata.namespace':
      return meta.namespace;
    case 'metadata.uid':
      return meta.uid;
    case 'metadata.labels':
      return lines(meta.labels);
    case 'metadata.annotations':
      return lines(meta.annotations);
    case 'spec.nodeName':
      return stringAt(spec, 'nodeName');
    case 'spec.serviceAccountName':
      return stringAt(spec, 'serviceAccountName') ?? 'default';
    case 'status.hostIP':
      return stringAt(status, 'hostIP');
    case 'status.podIP':
      return stringAt(status, 'podIP');
    default:
      return undefined;
  }
}

function downward(pod: KubeObject, items: unknown[] | undefined, into: Files, dir = ''): void {
  for (const item of (items ?? []).filter(isObject)) {
    const path = stringAt(item, 'path');
    const field = stringAt(objectAt(item, 'fieldRef') ?? {}, 'fieldPath');
    const value = field ? podField(pod, field) : undefined;
    if (path && value !== undefined) into.set(dir ? `${dir}/${path}` : path, Buffer.from(value));
  }
}

/** A stand-in service account token: JWT-shaped, naming the pod's account, not signed. */
function saToken(pod: KubeObject): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sa = stringAt(objectAt(pod, 'spec') ?? {}, 'serviceAccountName') ?? 'default';
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: `system:serviceaccount:${pod.metadata.namespace ?? ''}:${sa}`, iss: 'https://kubernetes.default.svc' })}.`;
}

/** Names of ConfigMaps and Secrets a pod's volumes need that do not exist (and are not optional). */
export function missingVolumeSources(pod: KubeObject, sources: VolumeSources): string[] {
  const ns = pod.metadata.namespace ?? '';
  const missing: string[] = [];
  const check = (ref: JsonObject | undefined, kind: 'configmap' | 'secret', nameField: string): void => {
    if (!ref || ref.optional === true) return;
    const name = stringAt(ref, nameField);
    if (!name) return;
    const found = kind === 'configmap' ? sources.configMap(ns, name) : sources.secret(ns, name);
    if (!found) missing.push(`${kind} "${name}"`);
  };
  for (const v of (arrayAt(objectAt(pod, 'spec') ?? {}, 'volumes') ?? []).filter(isObject)) {
    check(objectAt(v, 'configMap'), 'configmap', 'name');
    check(objectAt(v, 'secret'), 'secret', 'secretName');
    for (const s of (arrayAt(objectAt(v, 'projected') ?? {}, 'sources') ?? []).filter(isObject)) {
      check(objectAt(s, 'configMap'), 'configmap', 'name');
      check(objectAt(s, 'secret'), 'secret', 'name');
    }
  }
  return missing;
}

/** The files of one pod volume, read now. */
export function volumeFiles(pod: KubeObject, volume: JsonObject, sources: VolumeSources): Files {
  const ns = pod.metadata.namespace ?? '';
  const files: Files = new Map();
  const cm = objectAt(volume, 'configMap');
  if (cm) {
    const o = sources.configMap(ns, stringAt(cm, 'name') ?? '');
    if (o) pick(configMapData(o), arrayAt(cm, 'items'), files);
  }
  const sec = objectAt(volume, 'secret');
  if (sec) {
    const o = sources.secret(ns, stringAt(sec, 'secretName') ?? '');
    if (o) pick(secretData(o), arrayAt(sec, 'items'), files);
  }
  const dapi = objectAt(volume, 'downwardAPI');
  if (dapi) downward(pod, arrayAt(dapi, 'items'), files);
  for (const s of (arrayAt(objectAt(volume, 'projected') ?? {}, 'sources') ?? []).filter(isObject)) {
    const pcm = objectAt(s, 'configMap');
    const o = pcm && sources.configMap(ns, stringAt(pcm, 'name') ?? '');
    if (pcm && o) pick(configMapData(o), arrayAt(pcm, 'items'), files);
    const psec = objectAt(s, 'secret');
    const so = psec && sources.secret(ns, stringAt(psec, 'name') ?? '');
    if (psec && so) pick(secretData(so), arrayAt(psec, 'items'), files);
    const pd = objectAt(s, 'downwardAPI');
    if (pd) downward(pod, arrayAt(pd, 'items'), files);
    const token = objectAt(s, 'serviceAccountToken');
    if (token) files.set(stringAt(token, 'path') ?? 'token', Buffer.from(saToken(pod)));
  }
  return files;
}

/** The container's mounts: its volumeMounts resolved against the pod's volumes. */
export function containerMounts(pod: KubeObject, container: JsonObject, sources: VolumeSources): Mount[] {
  const volumes = new Map((arrayAt(objectAt(pod, 'spec') ?? {}, 'volumes') ?? []).filter(isObject).map((v) => [stringAt(v, 'name') ?? '', v]));
  const mounts: Mount[] = [];
  for (const m of (arrayAt(container, 'volumeMounts') ?? []).filter(isObject)) {
    const volume = volumes.get(stringAt(m, 'name') ?? '');
    const path = stringAt(m, 'mountPath');
    if (!volume || !path) continue;
    const sub = stringAt(m, 'subPath');
    const source: MountSource = {
      writable: isObject(volume.emptyDir) && m.readOnly !== true,
      files: () => {
        const all = volumeFiles(pod, volume, sources);
        if (!sub) return all;
        // A subPath mounts one entry of the volume at mountPath itself.
        const one = all.get(sub);
        const under: Files = new Map();
        for (const [k, v] of all) if (k.startsWith(`${sub}/`)) under.set(k.slice(sub.length + 1), v);
        return one ? new Map([['.', one]]) : under;
      },
    };
    mounts.push({ containerPath: path, source });
  }
  return mounts;
}
