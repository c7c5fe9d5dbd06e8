/**
 * Allocation candidates: every provider that can take the whole request alone — enough
 * free capacity of each class within its unit constraints, the required traits and none
 * of the forbidden ones, in the aggregates and tree asked for — with the summaries Nova's
 * scheduler weighs with. (A single-provider model: kos's hypervisors have no nested or
 * sharing providers, so a request is never split across a tree.)
 */
import { fits, usageByProvider } from './capacity.js';
import type { Consumer, ResourceProvider, Resources } from './model.js';
import { inTree, memberOfMatch, traitsMatch, type TraitFilter } from './query.js';

export interface CandidateRequest {
  resources: Resources;
  required?: TraitFilter;
  memberOf?: string[];
  inTree?: string;
  limit?: number;
}

export interface ProviderSummary {
  resources: Record<string, { capacity: number; used: number }>;
  traits: string[];
  parent_provider_uuid: string | null;
  root_provider_uuid: string;
}

export interface Candidates {
  /** Provider uuids, each one allocation request for the whole `resources`. */
  providers: string[];
  summaries: Record<string, ProviderSummary>;
}

export function allocationCandidates(
  providers: Iterable<ResourceProvider>,
  consumers: Iterable<Consumer>,
  req: CandidateRequest,
  capacityOf: (rp: ResourceProvider, used: Resources) => ProviderSummary['resources'],
): Candidates {
  const usage = usageByProvider(consumers);
  const out: Candidates = { providers: [], summaries: {} };
  for (const rp of providers) {
    if (req.limit !== undefined && out.providers.length >= req.limit) break;
    if (!inTree(rp, req.inTree)) continue;
    if (req.required && !traitsMatch(rp.traits, req.required)) continue;
    if (req.memberOf && !memberOfMatch(rp.aggregates, req.memberOf)) continue;
    const used = usage.get(rp.id) ?? {};
    if (!fits(rp, req.resources, used)) continue;
    out.providers.push(rp.id);
    out.summaries[rp.id] = {
      resources: capacityOf(rp, used),
      traits: rp.traits,
      parent_provider_uuid: rp.parent_provider_uuid,
      root_provider_uuid: rp.root_provider_uuid,
    };
  }
  return out;
}
