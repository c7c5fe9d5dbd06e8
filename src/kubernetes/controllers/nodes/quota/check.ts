/**
 * The ResourceQuota admission decisions, with upstream's words: containers that leave a
 * quota'd compute resource unset ("must specify limits.cpu for: app") and requests that
 * would go over ("exceeded quota: q, requested: requests.cpu=2, used: requests.cpu=1,
 * limited: requests.cpu=2"). Pure: usage in, message or nothing out.
 */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../../../apiserver/object.js';
import { amountOf, canonical, formatQuantity, normalize } from '../quantity.js';
import type { Usage } from './usage.js';

/** Quota'd resources every container must state (the "backward compatibility requirement" of the pod evaluator). */
const mustStateResources = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** "must specify cpu for: a,b; limits.memory for: a", or undefined when every container states what is required. */
export function missingResources(pod: KubeObject, required: readonly string[]): string | undefined {
  const spec = objectAt(pod, 'spec') ?? {};
  const containers = [...(arrayAt(spec, 'containers') ?? []), ...(arrayAt(spec, 'initContainers') ?? [])].filter(isObject);
  const missing = new Map<string, Set<string>>();
  for (const r of required.filter((x) => mustStateResources.has(x))) {
    const [field, base] = r.startsWith('limits.') ? ['limits', r.slice(7)] : ['requests', r.replace(/^requests\./, '')];
    for (const c of containers) {
      const list: JsonObject = objectAt(objectAt(c, 'resources') ?? {}, field) ?? {};
      if (list[base] !== undefined) continue;
      const names = missing.get(r) ?? new Set<string>();
      names.add(stringAt(c, 'name') ?? '');
      missing.set(r, names);
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...(missing.get(r) ?? [])].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

/** quota.prettyPrint: sorted `name=quantity` pairs joined by commas. */
export const prettyPrint = (entries: ReadonlyMap<string, string>): string =>
  [...entries.keys()]
    .sort()
    .map((k) => `${k}=${entries.get(k) ?? ''}`)
    .join(',');

export interface QuotaView {
  name: string;
  hard: JsonObject;
}

/**
 * The exceeded-quota message for a request against one quota, or undefined if it fits.
 * Only resources the request uses and the quota limits are compared, as upstream masks.
 */
export function exceededMessage(quota: QuotaView, requested: Usage, used: ReadonlyMap<string, number>, allowed: (resource: string) => boolean): string | undefined {
  const over: string[] = [];
  for (const [r, amount] of requested.values) {
    if (!allowed(r) || quota.hard[r] === undefined) continue;
    const hard = amountOf(quota.hard[r]);
    if (!hard) continue;
    if (normalize((used.get(r) ?? 0) + amount) > normalize(hard.value)) over.push(r);
  }
  if (over.length === 0) return undefined;
  const binaryFor = (r: string): boolean => requested.binary.has(r) || amountOf(quota.hard[r])?.binary === true;
  const pick = (f: (r: string) => string): Map<string, string> => new Map(over.map((r) => [r, f(r)]));
  return [
    `exceeded quota: ${quota.name}`,
    `requested: ${prettyPrint(pick((r) => formatQuantity(requested.values.get(r) ?? 0, binaryFor(r))))}`,
    `used: ${prettyPrint(pick((r) => formatQuantity(used.get(r) ?? 0, binaryFor(r))))}`,
    `limited: ${prettyPrint(pick((r) => canonical(quota.hard[r])))}`,
  ].join(', ');
}
