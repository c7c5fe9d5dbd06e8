/**
 * Placement's query grammar shared by provider listing and allocation candidates:
 * `resources=VCPU:1,MEMORY_MB:512`, `required=T1,!T2,in:T3,T4`, `member_of=in:a,b`
 * (repeatable: every group must match), `in_tree=<uuid>`.
 */
import { KosError } from '../../core/errors.js';
import type { ResourceProvider, Resources } from './model.js';

export function parseResources(text: string): Resources {
  const out: Resources = {};
  for (const part of text.split(',')) {
    const m = /^([A-Z0-9_]+):(\d+)$/.exec(part.trim());
    if (!m) throw new KosError('BadRequest', `Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: ${text}.`);
    const amount = Number(m[2]);
    if (amount < 1) throw new KosError('BadRequest', `Requested resource ${m[1]} expected positive integer amount. Got: ${m[2]}.`);
    out[m[1]!] = amount;
  }
  return out;
}

export interface TraitFilter {
  /** Each group: the provider needs at least one (a plain trait is a group of one). */
  anyOf: string[][];
  forbidden: string[];
}

export function parseTraits(values: string[]): TraitFilter {
  const filter: TraitFilter = { anyOf: [], forbidden: [] };
  for (const value of values) {
    if (value.startsWith('in:')) {
      filter.anyOf.push(value.slice(3).split(','));
      continue;
    }
    for (const t of value.split(',')) {
      const name = t.trim();
      if (name === '') throw new KosError('BadRequest', `Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: ${value}`);
      if (name.startsWith('!')) filter.forbidden.push(name.slice(1));
      else filter.anyOf.push([name]);
    }
  }
  return filter;
}

export const traitsMatch = (traits: readonly string[], f: TraitFilter): boolean =>
  f.anyOf.every((group) => group.some((t) => traits.includes(t))) && !f.forbidden.some((t) => traits.includes(t));

/** member_of groups: each `in:a,b` or `a` must intersect the provider's aggregates; `!a` excludes. */
export function memberOfMatch(aggregates: readonly string[], groups: string[]): boolean {
  return groups.every((g) => {
    if (g.startsWith('!')) {
      const banned = (g.startsWith('!in:') ? g.slice(4) : g.slice(1)).split(',');
      return !banned.some((a) => aggregates.includes(a));
    }
    const wanted = (g.startsWith('in:') ? g.slice(3) : g).split(',');
    return wanted.some((a) => aggregates.includes(a));
  });
}

export const inTree = (rp: ResourceProvider, root: string | undefined): boolean => root === undefined || rp.root_provider_uuid === root;
