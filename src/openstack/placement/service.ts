/**
 * Placement's service layer: resource providers with their inventories, traits and
 * aggregates; resource classes and traits; allocations with capacity checks; allocation
 * candidates and usages. Every write runs under one mutex and re-checks capacity inside
 * it, so concurrent claims can never overshoot (total − reserved) × allocation_ratio.
 *
 * Routes call it with a RequestContext behind the admin-only policy; Nova's scheduler
 * calls `scheduler` (scheduler-api.ts) in-process, as Nova calls Placement with its
 * service credentials.
 */
import type { Clock } from '../../core/clock.js';
import { KosError } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import { capacityOf, refusal, usageByProvider } from './capacity.js';
import {
  CANNOT_DELETE_PARENT, CONCURRENT_UPDATE, DUPLICATE_NAME, INVENTORY_INUSE, PROVIDER_INUSE, placementError,
} from './errors.js';
import { INVENTORY_DEFAULTS, type Consumer, type Inventory, type ResourceProvider, type Resources } from './model.js';
import type { PlacementRepository } from './repository.js';
import { CUSTOM_NAME, STANDARD_RESOURCE_CLASSES, STANDARD_TRAITS } from './standard.js';

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** One consumer's new allocations, as PUT /allocations/{c} and POST /allocations carry them. */
export interface AllocationRequest {
  consumer: string;
  allocations: Record<string, Resources>;
  project_id: string;
  user_id: string;
  consumer_type?: string;
  /** undefined: not checked (before 1.28); null: the consumer must be new. */
  consumer_generation?: number | null;
}

const conflict = (message: string, code = CONCURRENT_UPDATE): KosError => placementError('Conflict', message, code);

export class PlacementService {
  constructor(
    readonly repo: PlacementRepository,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  // ---- resource providers ----

  provider(id: string): ResourceProvider {
    const rp = this.repo.providers.get(id);
    if (!rp) throw new KosError('NotFound', `No resource provider with uuid ${id} found`);
    return rp;
  }

  providers(): ResourceProvider[] {
    return this.repo.providers.list();
  }

  async createProvider(input: { name: string; uuid?: string; parent_provider_uuid?: string | null }): Promise<ResourceProvider> {
    if (input.name.length === 0 || input.name.length > 200) throw new KosError('BadRequest', `JSON does not validate: '${input.name}' is not a valid name`);
    const id = input.uuid ?? uuid();
    if (!UUID.test(id)) throw new KosError('BadRequest', `JSON does not validate: '${id}' is not a 'uuid'`);
    return this.repo.writes.run(async () => {
      if (this.repo.providers.has(id)) throw conflict(`Conflicting resource provider uuid: ${id} already exists.`, DUPLICATE_NAME);
      if (this.repo.providers.byIndex('name', input.name).length > 0) {
        throw conflict(`Conflicting resource provider name: ${input.name} already exists.`, DUPLICATE_NAME);
      }
      let root = id;
      const parentId = input.parent_provider_uuid ?? null;
      if (parentId !== null) {
        const parent = this.repo.providers.get(parentId);
        if (!parent) throw new KosError('BadRequest', `parent provider UUID ${parentId} does not exist.`);
        root = parent.root_provider_uuid;
      }
      const now = this.now();
      return this.repo.providers.create({
        id, name: input.name, generation: 0, parent_provider_uuid: parentId, root_provider_uuid: root,
        inventories: {}, traits: [], aggregates: [], created_at: now, updated_at: now,
      });
    });
  }

  async updateProvider(id: string, input: { name: string; parent_provider_uuid?: string | null }): Promise<ResourceProvider> {
    return this.repo.writes.run(async () => {
      const rp = this.provider(id);
      const clash = this.repo.providers.byIndex('name', input.name).find((p) => p.id !== id);
      if (clash) throw conflict(`Conflicting resource provider name: ${input.name} already exists.`, DUPLICATE_NAME);
      let parent = rp.parent_provider_uuid;
      let root = rp.root_provider_uuid;
      if (input.parent_provider_uuid !== undefined && input.parent_provider_uuid !== rp.parent_provider_uuid) {
        const next = input.parent_provider_uuid;
        if (next === null) throw new KosError('BadRequest', 'Un-parenting a provider is not currently allowed.');
        if (rp.parent_provider_uuid !== null) throw new KosError('BadRequest', 're-parenting a provider is not currently allowed.');
        const p = this.repo.providers.get(next);
        if (!p) throw new KosError('BadRequest', `parent provider UUID ${next} does not exist.`);
        if (p.root_provider_uuid === rp.root_provider_uuid) throw new KosError('BadRequest', 'creating loop in the provider tree is not allowed.');
        parent = next;
        root = p.root_provider_uuid;
        for (const child of this.repo.providers.byIndex('root', rp.id)) {
          if (child.id !== rp.id) await this.repo.providers.update(child.id, (c) => ({ ...c, root_provider_uuid: root }));
        }
      }
      return this.repo.providers.update(id, (o) => ({
        ...o, name: input.name, parent_provider_uuid: parent, root_provider_uuid: root, generation: o.generation + 1, updated_at: this.now(),
      }));
    });
  }

  async deleteProvider(id: string): Promise<void> {
    await this.repo.writes.run(async () => {
      this.provider(id);
      if (this.repo.consumers.byIndex('provider', id).length > 0) {
        throw conflict(`Unable to delete resource provider ${id}: Resource provider has allocations.`, PROVIDER_INUSE);
      }
      if (this.repo.providers.byIndex('parent', id).length > 0) {
        throw conflict(`Unable to delete parent resource provider ${id}: It has child resource providers.`, CANNOT_DELETE_PARENT);
      }
      await this.repo.providers.delete(id);
    });
  }

  /** Change one provider under the lock, checking the generation the caller last saw. */
  private async bumpProvider(id: string, seen: number | undefined, change: (rp: ResourceProvider) => void): Promise<ResourceProvider> {
    return this.repo.writes.run(async () => {
      const rp = this.provider(id);
      if (seen !== undefined && seen !== rp.generation) {
        throw conflict(`resource provider generation conflict: ${id} is at generation ${rp.generation}, not ${seen}`);
      }
      const next = structuredClone(rp);
      change(next);
      next.generation = rp.generation + 1;
      next.updated_at = this.now();
      return this.repo.providers.update(id, () => next);
    });
  }

  // ---- inventories ----

  checkInventory(rc: string, raw: Record<string, unknown>): Inventory {
    this.requireResourceClass(rc);
    const inv = { ...INVENTORY_DEFAULTS, ...raw } as Record<string, unknown>;
    const ints = ['total', 'reserved', 'min_unit', 'max_unit', 'step_size'] as const;
    for (const k of ints) {
      const v = inv[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < (k === 'reserved' ? 0 : 1) || v > 2147483647) {
        throw new KosError('BadRequest', `JSON does not validate: ${k} ${JSON.stringify(v)} is not a valid value for inventory of ${rc}`);
      }
    }
    const ratio = inv.allocation_ratio;
    if (typeof ratio !== 'number' || ratio <= 0) throw new KosError('BadRequest', `JSON does not validate: allocation_ratio ${JSON.stringify(ratio)} is not valid`);
    const out: Inventory = {
      total: inv.total as number, reserved: inv.reserved as number, min_unit: inv.min_unit as number,
      max_unit: inv.max_unit as number, step_size: inv.step_size as number, allocation_ratio: ratio,
    };
    if (out.reserved > out.total) throw new KosError('BadRequest', `Unable to update inventory for resource provider: Invalid inventory for '${rc}': reserved value greater than total.`);
    return out;
  }

  async setInventories(id: string, seen: number | undefined, inventories: Record<string, Inventory>): Promise<ResourceProvider> {
    const used = this.usage(id);
    for (const rc of Object.keys(used)) {
      if ((used[rc] ?? 0) > 0 && !(rc in inventories)) {
        throw conflict(`update conflict: Inventory for '${rc}' on resource provider '${id}' in use.`, INVENTORY_INUSE);
      }
    }
    return this.bumpProvider(id, seen, (rp) => {
      rp.inventories = inventories;
    });
  }

  async setInventory(id: string, seen: number | undefined, rc: string, inventory: Inventory | undefined): Promise<ResourceProvider> {
    const current = this.provider(id);
    if (inventory === undefined) {
      if (!current.inventories[rc]) throw new KosError('NotFound', `No inventory of class ${rc} found for delete`);
      if ((this.usage(id)[rc] ?? 0) > 0) {
        throw conflict(`Unable to delete inventory of class ${rc}: Inventory for '${rc}' on resource provider '${id}' in use.`, INVENTORY_INUSE);
      }
    }
    return this.bumpProvider(id, seen, (rp) => {
      if (inventory === undefined) delete rp.inventories[rc];
      else rp.inventories[rc] = inventory;
    });
  }

  // ---- traits and aggregates on providers ----

  async setProviderTraits(id: string, seen: number | undefined, traits: string[]): Promise<ResourceProvider> {
    for (const t of traits) this.requireTrait(t, 'BadRequest');
    return this.bumpProvider(id, seen, (rp) => {
      rp.traits = [...new Set(traits)].sort();
    });
  }

  async setProviderAggregates(id: string, seen: number | undefined, aggregates: string[]): Promise<ResourceProvider> {
    for (const a of aggregates) if (!UUID.test(a)) throw new KosError('BadRequest', `JSON does not validate: '${a}' is not a 'uuid'`);
    return this.bumpProvider(id, seen, (rp) => {
      rp.aggregates = [...new Set(aggregates)];
    });
  }

  // ---- resource classes and traits ----

  resourceClassNames(): string[] {
    return [...STANDARD_RESOURCE_CLASSES, ...this.repo.resourceClasses.list().map((c) => c.id)];
  }

  requireResourceClass(name: string): void {
    if (!STANDARD_RESOURCE_CLASSES.includes(name) && !this.repo.resourceClasses.has(name)) {
      throw new KosError('BadRequest', `Unknown resource class in inventory for resource provider: ${name}`);
    }
  }

  hasResourceClass(name: string): boolean {
    return STANDARD_RESOURCE_CLASSES.includes(name) || this.repo.resourceClasses.has(name);
  }

  /** Create a custom class; false when it already existed. */
  async ensureResourceClass(name: string, mustBeNew: boolean): Promise<boolean> {
    if (!CUSTOM_NAME.test(name)) {
      if (STANDARD_RESOURCE_CLASSES.includes(name) && !mustBeNew) return false;
      throw new KosError('BadRequest', `JSON does not validate: '${name}' does not match '^CUSTOM_[A-Z0-9_]+$'`);
    }
    return this.repo.writes.run(async () => {
      if (this.repo.resourceClasses.has(name)) {
        if (mustBeNew) throw conflict(`Conflicting resource class already exists: ${name}`, DUPLICATE_NAME);
        return false;
      }
      await this.repo.resourceClasses.create({ id: name, created_at: this.now() });
      return true;
    });
  }

  async deleteResourceClass(name: string): Promise<void> {
    if (STANDARD_RESOURCE_CLASSES.includes(name)) throw new KosError('BadRequest', `Cannot delete standard resource class ${name}: `);
    await this.repo.writes.run(async () => {
      if (!this.repo.resourceClasses.has(name)) throw new KosError('NotFound', `No such resource class ${name}.`);
      const inUse = this.repo.providers.list((p) => name in p.inventories).length > 0;
      if (inUse) throw conflict(`Unable to delete resource class ${name}. The resource class is in use in inventory.`, 'placement.undefined_code');
      await this.repo.resourceClasses.delete(name);
    });
  }

  traitNames(): string[] {
    return [...STANDARD_TRAITS, ...this.repo.traits.list().map((t) => t.id)];
  }

  requireTrait(name: string, kind: 'BadRequest' | 'NotFound'): void {
    if (!STANDARD_TRAITS.includes(name) && !this.repo.traits.has(name)) {
      throw new KosError(kind, kind === 'NotFound' ? `No such trait(s): ${name}.` : `No such trait(s): ${name}`);
    }
  }

  async ensureTrait(name: string): Promise<boolean> {
    if (STANDARD_TRAITS.includes(name)) return false;
    if (!CUSTOM_NAME.test(name)) throw new KosError('BadRequest', `The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"`);
    return this.repo.writes.run(async () => {
      if (this.repo.traits.has(name)) return false;
      await this.repo.traits.create({ id: name, created_at: this.now() });
      return true;
    });
  }

  async deleteTrait(name: string): Promise<void> {
    if (STANDARD_TRAITS.includes(name)) throw new KosError('BadRequest', `Cannot delete standard trait ${name}.`);
    await this.repo.writes.run(async () => {
      if (!this.repo.traits.has(name)) throw new KosError('NotFound', `No such trait(s): ${name}.`);
      if (this.repo.providers.list((p) => p.traits.includes(name)).length > 0) {
        throw conflict(`The trait ${name} is in use by a resource provider.`, 'placement.undefined_code');
      }
      await this.repo.traits.delete(name);
    });
  }

  // ---- allocations ----

  consumer(id: string): Consumer | undefined {
    return this.repo.consumers.get(id);
  }

  /** provider → class → used, for one provider. */
  usage(providerId: string): Resources {
    return usageByProvider(this.repo.consumers.byIndex('provider', providerId)).get(providerId) ?? {};
  }

  projectUsage(projectId: string, userId?: string, consumerType?: string): Resources {
    const out: Resources = {};
    for (const c of this.repo.consumers.byIndex('project', projectId)) {
      if (userId !== undefined && c.user_id !== userId) continue;
      if (consumerType !== undefined && consumerType !== 'all' && c.consumer_type !== consumerType) continue;
      for (const resources of Object.values(c.allocations)) {
        for (const [rc, n] of Object.entries(resources)) out[rc] = (out[rc] ?? 0) + n;
      }
    }
    return out;
  }

  private checkRequest(req: AllocationRequest): void {
    if (!UUID.test(req.consumer)) throw new KosError('BadRequest', `Malformed consumer_uuid: ${req.consumer}`);
    for (const [rpId, resources] of Object.entries(req.allocations)) {
      const rp = this.repo.providers.get(rpId);
      if (!rp) throw new KosError('BadRequest', `Allocation for resource provider '${rpId}' that does not exist.`);
      for (const [rc, n] of Object.entries(resources)) {
        if (!this.hasResourceClass(rc)) throw new KosError('BadRequest', `Unable to allocate inventory: No such resource class ${rc}.`);
        if (!Number.isInteger(n) || n < 1) throw new KosError('BadRequest', `JSON does not validate: ${n} is less than the minimum of 1`);
        if (!rp.inventories[rc]) {
          throw new KosError('BadRequest', `Unable to allocate inventory: Inventory for '${rc}' on resource provider '${rpId}' invalid.`);
        }
      }
    }
  }

  /**
   * Replace the allocations of every consumer named, all or nothing: each request's
   * classes must fit beside everyone else's usage (the consumers' own old allocations
   * excluded). Empty allocations release a consumer. Providers' generations move.
   */
  async allocate(requests: AllocationRequest[]): Promise<void> {
    for (const r of requests) this.checkRequest(r);
    await this.repo.writes.run(async () => {
      const replaced = new Set(requests.map((r) => r.consumer));
      const others = this.repo.consumers.list((c) => !replaced.has(c.id));
      const usage = usageByProvider(others);
      for (const r of requests) {
        const current = this.repo.consumers.get(r.consumer);
        if (r.consumer_generation !== undefined) {
          const have = current ? current.generation : null;
          if (have !== r.consumer_generation) {
            throw conflict(
              current
                ? `consumer generation conflict - expected ${String(r.consumer_generation)} but got ${current.generation}`
                : `consumer generation conflict - expected null but got ${String(r.consumer_generation)}`,
            );
          }
        }
        for (const [rpId, resources] of Object.entries(r.allocations)) {
          const rp = this.provider(rpId);
          const used = usage.get(rpId) ?? {};
          for (const [rc, n] of Object.entries(resources)) {
            const why = refusal(rp, rc, n, used[rc] ?? 0);
            if (why) throw conflict(why, 'placement.undefined_code');
            used[rc] = (used[rc] ?? 0) + n;
          }
          usage.set(rpId, used);
        }
      }
      const touched = new Set<string>();
      const now = this.now();
      for (const r of requests) {
        const current = this.repo.consumers.get(r.consumer);
        for (const rp of Object.keys(current?.allocations ?? {})) touched.add(rp);
        for (const rp of Object.keys(r.allocations)) touched.add(rp);
        const empty = Object.keys(r.allocations).length === 0;
        if (empty) {
          if (current) await this.repo.consumers.delete(current.id);
        } else if (current) {
          await this.repo.consumers.update(current.id, (c) => ({
            ...c, allocations: r.allocations, project_id: r.project_id, user_id: r.user_id,
            consumer_type: r.consumer_type ?? c.consumer_type, generation: c.generation + 1, updated_at: now,
          }));
        } else {
          await this.repo.consumers.create({
            id: r.consumer, allocations: r.allocations, project_id: r.project_id, user_id: r.user_id,
            consumer_type: r.consumer_type ?? 'INSTANCE', generation: 1, created_at: now, updated_at: now,
          });
        }
      }
      for (const rp of touched) {
        if (this.repo.providers.has(rp)) {
          await this.repo.providers.update(rp, (o) => ({ ...o, generation: o.generation + 1 }));
        }
      }
    });
  }

  /** Drop every allocation of a consumer; false when it held none. */
  async release(consumerId: string): Promise<boolean> {
    const current = this.repo.consumers.get(consumerId);
    if (!current) return false;
    await this.allocate([{ consumer: consumerId, allocations: {}, project_id: current.project_id, user_id: current.user_id }]);
    return true;
  }

  /** What each provider can still give of each class (for summaries and weighing). */
  capacitySummary(rp: ResourceProvider, used: Resources): Record<string, { capacity: number; used: number }> {
    const out: Record<string, { capacity: number; used: number }> = {};
    for (const [rc, inv] of Object.entries(rp.inventories)) out[rc] = { capacity: capacityOf(inv), used: used[rc] ?? 0 };
    return out;
  }
}
