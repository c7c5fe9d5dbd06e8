/**
 * The pods of a Job: how one is built from the template (owner, tracking finalizer, the
 * completion index of an Indexed job as annotation, label, hostname and
 * JOB_COMPLETION_INDEX), and what state each pod the job owns is in.
 */
import { arrayAt, clone, isObject, objectAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';

/** Held on every pod the controller creates until the pod's end is counted in the Job's status. */
export const trackingFinalizer = 'batch.kubernetes.io/job-tracking';
export const completionIndexKey = 'batch.kubernetes.io/job-completion-index';
export const completionIndexEnv = 'JOB_COMPLETION_INDEX';

export function jobPodBody(job: KubeObject, index: number | undefined): KubeObject {
  const spec = objectAt(job, 'spec') ?? {};
  const template = objectAt(spec, 'template') ?? {};
  const tmeta = objectAt(template, 'metadata') ?? {};
  const name = job.metadata.name ?? '';
  const labels: Record<string, string> = { ...((objectAt(tmeta, 'labels') ?? {}) as Record<string, string>) };
  const annotations: Record<string, string> = { ...((objectAt(tmeta, 'annotations') ?? {}) as Record<string, string>) };
  const podSpec = clone(objectAt(template, 'spec') ?? {});
  if (index !== undefined) {
    labels[completionIndexKey] = String(index);
    annotations[completionIndexKey] = String(index);
    // Indexed pods are addressable as <job>-<index> within the template's subdomain.
    podSpec.hostname = `${name}-${index}`;
    for (const field of ['containers', 'initContainers']) {
      for (const c of (arrayAt(podSpec, field) ?? []).filter(isObject)) addIndexEnv(c);
    }
  }
  const metadata: KubeObject['metadata'] = {
    generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
    labels,
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    finalizers: [trackingFinalizer],
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec };
}

function addIndexEnv(container: JsonObject): void {
  const env = (arrayAt(container, 'env') ?? []).filter(isObject);
  if (env.some((e) => e.name === completionIndexEnv)) return;
  env.push({ name: completionIndexEnv, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${completionIndexKey}']` } } });
  container.env = env;
}

export type PodState = 'active' | 'succeeded' | 'failed' | 'terminating';

/**
 * Where a pod stands: finished by phase, terminating when deleted before it finished,
 * active otherwise (pending or running).
 */
export function podState(pod: KubeObject): PodState {
  const phase = objectAt(pod, 'status')?.phase;
  if (phase === 'Succeeded') return 'succeeded';
  if (phase === 'Failed') return 'failed';
  return pod.metadata.deletionTimestamp ? 'terminating' : 'active';
}

export const hasTrackingFinalizer = (pod: KubeObject): boolean => (pod.metadata.finalizers ?? []).includes(trackingFinalizer);

/** The completion index of an Indexed job's pod, if valid for `completions`. */
export function podIndex(pod: KubeObject, completions: number): number | undefined {
  const text = pod.metadata.annotations?.[completionIndexKey] ?? pod.metadata.labels?.[completionIndexKey];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n < completions ? n : undefined;
}

export function podIsReady(pod: KubeObject): boolean {
  const conditions = arrayAt(objectAt(pod, 'status') ?? {}, 'conditions') ?? [];
  return conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
}
