/**
 * The arithmetic of Placement: what a provider can hold of a class — (total − reserved)
 * × allocation_ratio — what it holds now, and whether a request fits, unit constraints
 * included. Pure functions, so the claim path and allocation candidates share them.
 */
import type { Consumer, Inventory, ResourceProvider, Resources } from './model.js';

export const capacityOf = (inv: Inventory): number => Math.floor((inv.total - inv.reserved) * inv.allocation_ratio);

/** provider uuid → class → amount used, over every consumer but `except`. */
export function usageByProvider(consumers: Iterable<Consumer>, except?: string): Map<string, Resources> {
  const usage = new Map<string, Resources>();
  for (const c of consumers) {
    if (c.id === except) continue;
    for (const [rp, resources] of Object.entries(c.allocations)) {
      let used = usage.get(rp);
      if (!used) usage.set(rp, (used = {}));
      for (const [rc, n] of Object.entries(resources)) used[rc] = (used[rc] ?? 0) + n;
    }
  }
  return usage;
}

/** Why `amount` of `rc` does not fit on the provider, or undefined when it does. */
export function refusal(rp: ResourceProvider, rc: string, amount: number, used: number): string | undefined {
  const inv = rp.inventories[rc];
  if (!inv) return `Inventory for '${rc}' on resource provider '${rp.id}' invalid.`;
  if (amount < inv.min_unit || amount > inv.max_unit || amount % inv.step_size !== 0) {
    return `Unable to allocate inventory: Unable to create allocation for '${rc}' on resource provider '${rp.id}'. The requested amount would violate inventory constraints.`;
  }
  if (used + amount > capacityOf(inv)) {
    return `Unable to allocate inventory: Unable to create allocation for '${rc}' on resource provider '${rp.id}'. The requested amount would exceed the capacity.`;
  }
  return undefined;
}

/** Does the whole request fit on one provider? */
export function fits(rp: ResourceProvider, request: Resources, used: Resources): boolean {
  return Object.entries(request).every(([rc, n]) => refusal(rp, rc, n, used[rc] ?? 0) === undefined);
}
