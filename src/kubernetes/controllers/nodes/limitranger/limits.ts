/**
 * LimitRange policy over one object (plugin/pkg/admission/limitranger), pure: default
 * requests and limits filled into containers that state none, then min, max and
 * maxLimitRequestRatio checked per Container, per Pod (totals) and per
 * PersistentVolumeClaim, with upstream's messages.
 */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { amountOf, canonical, formatQuantity, normalize } from '../quantity.js';
import { podResources } from '../quota/usage.js';

export const limitRangerAnnotation = 'kubernetes.io/limit-ranger';

export const itemsOf = (limitRange: KubeObject): JsonObject[] => (arrayAt(objectAt(limitRange, 'spec') ?? {}, 'limits') ?? []).filter(isObject);

type Containers = { list: 'containers' | 'initContainers'; word: string };
const containerLists: Containers[] = [
  { list: 'containers', word: 'container' },
  { list: 'initContainers', word: 'init container' },
];

/** The defaults of a LimitRange's Container items (a later item wins on the same resource). */
function containerDefaults(limitRange: KubeObject): { limits: JsonObject; requests: JsonObject } {
  const limits: JsonObject = {};
  const requests: JsonObject = {};
  for (const item of itemsOf(limitRange)) {
    if (item.type !== 'Container') continue;
    Object.assign(limits, objectAt(item, 'default') ?? {});
    Object.assign(requests, objectAt(item, 'defaultRequest') ?? {});
  }
  return { limits, requests };
}

/**
 * Fill each container's missing requests and limits from the LimitRange's defaults, in
 * place. Returns the annotation text upstream leaves on the pod, or undefined when
 * nothing was set.
 */
export function applyDefaults(pod: KubeObject, limitRange: KubeObject): string | undefined {
  const defaults = containerDefaults(limitRange);
  if (Object.keys(defaults.limits).length + Object.keys(defaults.requests).length === 0) return undefined;
  const spec = objectAt(pod, 'spec') ?? {};
  const notes: string[] = [];
  for (const { list, word } of containerLists) {
    for (const c of (arrayAt(spec, list) ?? []).filter(isObject)) {
      const resources = objectAt(c, 'resources') ?? {};
      const requests = objectAt(resources, 'requests') ?? {};
      const limits = objectAt(resources, 'limits') ?? {};
      const setRequests = Object.keys(defaults.requests).filter((k) => requests[k] === undefined);
      const setLimits = Object.keys(defaults.limits).filter((k) => limits[k] === undefined);
      for (const k of setRequests) requests[k] = defaults.requests[k];
      for (const k of setLimits) limits[k] = defaults.limits[k];
      if (setRequests.length) resources.requests = requests;
      if (setLimits.length) resources.limits = limits;
      if (setRequests.length || setLimits.length) c.resources = resources;
      const name = stringAt(c, 'name') ?? '';
      if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${word} ${name}`);
      if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${word} ${name}`);
    }
  }
  return notes.length ? `LimitRanger plugin set: ${notes.join('; ')}` : undefined;
}

/** An observed request or limit: its value and how it prints. */
interface Observed {
  value: number;
  text: string;
}

const observed = (list: JsonObject, resource: string): Observed | undefined => {
  const a = amountOf(list[resource]);
  return a ? { value: a.value, text: canonical(list[resource]) } : undefined;
};

export function minConstraint(limitType: string, resource: string, enforced: unknown, request: Observed | undefined, limit: Observed | undefined): string | undefined {
  const min = amountOf(enforced)?.value ?? 0;
  const shown = canonical(enforced);
  if (!request) return `minimum ${resource} usage per ${limitType} is ${shown}.  No request is specified`;
  if (normalize(request.value) < normalize(min)) return `minimum ${resource} usage per ${limitType} is ${shown}, but request is ${request.text}`;
  if (limit && normalize(limit.value) < normalize(min)) return `minimum ${resource} usage per ${limitType} is ${shown}, but limit is ${limit.text}`;
  return undefined;
}

export function maxConstraint(limitType: string, resource: string, enforced: unknown, request: Observed | undefined, limit: Observed | undefined): string | undefined {
  const max = amountOf(enforced)?.value ?? 0;
  const shown = canonical(enforced);
  if (!limit) return `maximum ${resource} usage per ${limitType} is ${shown}.  No limit is specified`;
  if (normalize(limit.value) > normalize(max)) return `maximum ${resource} usage per ${limitType} is ${shown}, but limit is ${limit.text}`;
  if (request && normalize(request.value) > normalize(max)) return `maximum ${resource} usage per ${limitType} is ${shown}, but request is ${request.text}`;
  return undefined;
}

/** For kinds whose limits are not user input (claims): only the request is held to the max. */
export function maxRequestConstraint(limitType: string, resource: string, enforced: unknown, request: Observed | undefined): string | undefined {
  const max = amountOf(enforced)?.value ?? 0;
  if (request && normalize(request.value) > normalize(max)) return `maximum ${resource} usage per ${limitType} is ${canonical(enforced)}, but request is ${request.text}`;
  return undefined;
}

export function ratioConstraint(limitType: string, resource: string, enforced: unknown, request: Observed | undefined, limit: Observed | undefined): string | undefined {
  const shown = canonical(enforced);
  if (!request || request.value === 0) return `${resource} max limit to request ratio per ${limitType} is ${shown}, but no request is specified or request is 0`;
  if (!limit || limit.value === 0) return `${resource} max limit to request ratio per ${limitType} is ${shown}, but no limit is specified or limit is 0`;
  const ratio = limit.value / request.value;
  const max = amountOf(enforced)?.value ?? 0;
  if (Math.round(ratio * 1000) > Math.round(max * 1000)) return `${resource} max limit to request ratio per ${limitType} is ${shown}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkBounds(item: JsonObject, limitType: string, requests: (r: string) => Observed | undefined, limits: (r: string) => Observed | undefined): string[] {
  const errs: string[] = [];
  const push = (e: string | undefined): void => {
    if (e) errs.push(e);
  };
  const sorted = (key: string): [string, unknown][] => Object.entries(objectAt(item, key) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [r, v] of sorted('min')) push(minConstraint(limitType, r, v, requests(r), limits(r)));
  for (const [r, v] of sorted('max')) push(maxConstraint(limitType, r, v, requests(r), limits(r)));
  for (const [r, v] of sorted('maxLimitRequestRatio')) push(ratioConstraint(limitType, r, v, requests(r), limits(r)));
  return errs;
}

/** The problems of a pod against one LimitRange, in upstream's order. */
export function podProblems(pod: KubeObject, limitRange: KubeObject): string[] {
  const spec = objectAt(pod, 'spec') ?? {};
  const errs: string[] = [];
  for (const item of itemsOf(limitRange)) {
    if (item.type === 'Container') {
      for (const { list } of containerLists) {
        for (const c of (arrayAt(spec, list) ?? []).filter(isObject)) {
          const res = objectAt(c, 'resources') ?? {};
          errs.push(...checkBounds(item, 'Container', (r) => observed(objectAt(res, 'requests') ?? {}, r), (r) => observed(objectAt(res, 'limits') ?? {}, r)));
        }
      }
    } else if (item.type === 'Pod') {
      const totals = (field: 'requests' | 'limits') => {
        const sums = podResources(spec, field);
        return (r: string): Observed | undefined => {
          const s = sums.get(r);
          return s ? { value: s.value, text: formatQuantity(s.value, s.binary) } : undefined;
        };
      };
      errs.push(...checkBounds(item, 'Pod', totals('requests'), totals('limits')));
    }
  }
  return errs;
}

/** The problems of a PersistentVolumeClaim's storage request against one LimitRange. */
export function claimProblems(pvc: KubeObject, limitRange: KubeObject): string[] {
  const requests = objectAt(objectAt(objectAt(pvc, 'spec') ?? {}, 'resources') ?? {}, 'requests') ?? {};
  const errs: string[] = [];
  for (const item of itemsOf(limitRange)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [r, v] of Object.entries(objectAt(item, 'min') ?? {})) {
      const e = minConstraint('PersistentVolumeClaim', r, v, observed(requests, r), undefined);
      if (e) errs.push(e);
    }
    for (const [r, v] of Object.entries(objectAt(item, 'max') ?? {})) {
      const e = maxRequestConstraint('PersistentVolumeClaim', r, v, observed(requests, r));
      if (e) errs.push(e);
    }
  }
  return errs;
}

/** utilerrors.NewAggregate's text: one message as is, several deduplicated in brackets. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}
