/**
 * The field values an object offers to field selectors (each registry's
 * `ToSelectableFields`): strings, with booleans and counts rendered the way Go's
 * strconv renders them. Missing fields read as the empty string, as the server's
 * fields.Set does.
 */
import { isJsonMap, valueAtPath } from '../json.js';
import { groupKindKey } from '../gvk.js';
import type { GroupVersionKind } from '../gvk.js';

export type FieldSet = Readonly<Record<string, string>>;

/** A scalar as field selectors see it; objects, arrays and absent values are "". */
export function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

const at = (obj: unknown, dotted: string): string => fieldText(valueAtPath(obj, dotted.split('.')));

type Extractor = (obj: unknown) => Record<string, string>;

function firstPodIP(obj: unknown): string {
  const podIPs = valueAtPath(obj, ['status', 'podIPs']);
  if (Array.isArray(podIPs) && podIPs.length > 0) return isJsonMap(podIPs[0]) ? fieldText(podIPs[0]['ip']) : '';
  // Objects written before podIPs was filled still carry the singular field.
  return at(obj, 'status.podIP');
}

const extractors: ReadonlyMap<string, Extractor> = new Map<string, Extractor>([
  [
    '/Pod',
    (pod) => ({
      'spec.nodeName': at(pod, 'spec.nodeName'),
      'spec.restartPolicy': at(pod, 'spec.restartPolicy'),
      'spec.schedulerName': at(pod, 'spec.schedulerName'),
      'spec.serviceAccountName': at(pod, 'spec.serviceAccountName'),
      'spec.hostNetwork': String(valueAtPath(pod, ['spec', 'hostNetwork']) === true),
      'status.phase': at(pod, 'status.phase'),
      'status.podIP': firstPodIP(pod),
      'status.nominatedNodeName': at(pod, 'status.nominatedNodeName'),
    }),
  ],
  ['/Node', (node) => ({ 'spec.unschedulable': String(valueAtPath(node, ['spec', 'unschedulable']) === true) })],
  ['/Namespace', (ns) => ({ 'status.phase': at(ns, 'status.phase') })],
  [
    '/Event',
    (event) => {
      const reportingController = at(event, 'reportingComponent');
      return {
        'involvedObject.kind': at(event, 'involvedObject.kind'),
        'involvedObject.namespace': at(event, 'involvedObject.namespace'),
        'involvedObject.name': at(event, 'involvedObject.name'),
        'involvedObject.uid': at(event, 'involvedObject.uid'),
        'involvedObject.apiVersion': at(event, 'involvedObject.apiVersion'),
        'involvedObject.resourceVersion': at(event, 'involvedObject.resourceVersion'),
        'involvedObject.fieldPath': at(event, 'involvedObject.fieldPath'),
        reason: at(event, 'reason'),
        reportingComponent: reportingController,
        // Events from the new API carry no source; the server falls back to the reporter.
        source: at(event, 'source.component') || reportingController,
        type: at(event, 'type'),
      };
    },
  ],
  ['/Secret', (secret) => ({ type: at(secret, 'type') })],
  ['/Service', (svc) => ({ 'spec.clusterIP': at(svc, 'spec.clusterIP'), 'spec.type': at(svc, 'spec.type') })],
  ['/ReplicationController', (rc) => ({ 'status.replicas': String(Number(valueAtPath(rc, ['status', 'replicas']) ?? 0)) })],
  ['batch/Job', (job) => ({ 'status.successful': String(Number(valueAtPath(job, ['status', 'succeeded']) ?? 0)) })],
]);

/**
 * The field set of an object of the given kind: metadata.name and metadata.namespace for
 * every kind, the kind's own fields, and any CRD selectable fields asked for by label.
 */
export function selectableFields(
  gvk: GroupVersionKind,
  obj: unknown,
  selectableFieldLabels: readonly string[] = [],
): FieldSet {
  const fields: Record<string, string> = {
    'metadata.name': at(obj, 'metadata.name'),
    'metadata.namespace': at(obj, 'metadata.namespace'),
  };
  for (const label of selectableFieldLabels) fields[label] = at(obj, label);
  const own = extractors.get(groupKindKey(gvk));
  return own ? { ...fields, ...own(obj) } : fields;
}
