/**
 * PodSpec defaulting and validation, shared by pods and every workload's pod template
 * (deployments now; replicasets, statefulsets, daemonsets, jobs later). Defaults follow
 * the real server's SetDefaults_PodSpec/Container: kubectl describe prints them.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { arrayAt, defaultTo, isObject, objectAt, type JsonObject } from '../object.js';
import { nameProblem } from '../validation.js';

const protocols = ['TCP', 'UDP', 'SCTP'];
const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];

/** `:latest` or no tag (and no digest) means Always; anything else IfNotPresent. */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  defaultTo(probe, 'timeoutSeconds', 1);
  defaultTo(probe, 'periodSeconds', 10);
  defaultTo(probe, 'successThreshold', 1);
  defaultTo(probe, 'failureThreshold', 3);
}

function defaultContainer(c: JsonObject): void {
  defaultTo(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  defaultTo(c, 'terminationMessagePath', '/dev/termination-log');
  defaultTo(c, 'terminationMessagePolicy', 'File');
  defaultTo(c, 'resources', {});
  for (const p of (arrayAt(c, 'ports') ?? []).filter(isObject)) defaultTo(p, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
}

export const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export function defaultPodSpec(spec: JsonObject): void {
  defaultTo(spec, 'restartPolicy', 'Always');
  defaultTo(spec, 'dnsPolicy', 'ClusterFirst');
  defaultTo(spec, 'terminationGracePeriodSeconds', 30);
  defaultTo(spec, 'securityContext', {});
  defaultTo(spec, 'schedulerName', 'default-scheduler');
  for (const list of containerLists) for (const c of (arrayAt(spec, list) ?? []).filter(isObject)) defaultContainer(c);
}

function validateContainer(c: unknown, field: string, names: Set<string>): FieldError[] {
  if (!isObject(c)) return [invalid(field, c, 'must be an object')];
  const errs: FieldError[] = [];
  if (typeof c.name !== 'string' || !c.name) errs.push(required(`${field}.name`));
  else {
    const p = nameProblem(c.name, 'label');
    if (p) errs.push(invalid(`${field}.name`, c.name, p));
    if (names.has(c.name)) errs.push({ type: 'Duplicate', field: `${field}.name`, value: c.name });
    names.add(c.name);
  }
  if (typeof c.image !== 'string' || !c.image.trim()) errs.push(required(`${field}.image`));
  if (c.imagePullPolicy !== undefined && !pullPolicies.includes(String(c.imagePullPolicy))) {
    errs.push(notSupported(`${field}.imagePullPolicy`, c.imagePullPolicy, pullPolicies));
  }
  (arrayAt(c, 'ports') ?? []).forEach((p, i) => {
    const pf = `${field}.ports[${i}]`;
    if (!isObject(p)) return errs.push(invalid(pf, p, 'must be an object'));
    if (typeof p.containerPort !== 'number' || p.containerPort < 1 || p.containerPort > 65535) {
      errs.push(invalid(`${pf}.containerPort`, p.containerPort, 'must be between 1 and 65535, inclusive'));
    }
    if (!protocols.includes(String(p.protocol))) errs.push(notSupported(`${pf}.protocol`, p.protocol, protocols));
    return undefined;
  });
  return errs;
}

export function validatePodSpec(spec: JsonObject | undefined, field: string): FieldError[] {
  if (!spec) return [required(field)];
  const errs: FieldError[] = [];
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) errs.push(required(`${field}.containers`));
  const names = new Set<string>();
  for (const list of ['initContainers', 'containers'] as const) {
    (arrayAt(spec, list) ?? []).forEach((c, i) => errs.push(...validateContainer(c, `${field}.${list}[${i}]`, names)));
  }
  if (!restartPolicies.includes(String(spec.restartPolicy))) errs.push(notSupported(`${field}.restartPolicy`, spec.restartPolicy, restartPolicies));
  if (!dnsPolicies.includes(String(spec.dnsPolicy))) errs.push(notSupported(`${field}.dnsPolicy`, spec.dnsPolicy, dnsPolicies));
  const grace = spec.terminationGracePeriodSeconds;
  if (typeof grace !== 'number' || grace < 0) errs.push(invalid(`${field}.terminationGracePeriodSeconds`, grace, 'must be greater than or equal to 0'));
  return errs;
}

/** Guaranteed when every container limits cpu and memory with equal requests; BestEffort with none at all. */
export function qosClassOf(spec: JsonObject): string {
  const containers = [...(arrayAt(spec, 'containers') ?? []), ...(arrayAt(spec, 'initContainers') ?? [])].filter(isObject);
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = objectAt(c, 'resources') ?? {};
    const requests = objectAt(res, 'requests') ?? {};
    const limits = objectAt(res, 'limits') ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const limit = limits[r];
      const request = requests[r] ?? limit;
      if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
