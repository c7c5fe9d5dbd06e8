/**
 * Placement's stored objects. A resource provider carries its inventories, traits and
 * aggregates in one document, so one compare-and-swap write keeps them and the provider
 * generation consistent. A consumer carries all its allocations, so a claim or a release
 * is one write too.
 */
export interface Inventory {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

export interface ResourceProvider {
  /** The provider's uuid. */
  id: string;
  name: string;
  generation: number;
  parent_provider_uuid: string | null;
  root_provider_uuid: string;
  inventories: Record<string, Inventory>;
  traits: string[];
  aggregates: string[];
  created_at: string;
  updated_at: string;
}

/** resource class → amount */
export type Resources = Record<string, number>;

export interface Consumer {
  /** The consumer's uuid (an instance, a migration). */
  id: string;
  project_id: string;
  user_id: string;
  consumer_type: string;
  generation: number;
  /** provider uuid → resources held there */
  allocations: Record<string, Resources>;
  created_at: string;
  updated_at: string;
}

/** A custom resource class or trait (standard ones are constants, never stored). */
export interface CustomName {
  id: string;
  created_at: string;
}

export const INVENTORY_DEFAULTS = { reserved: 0, min_unit: 1, max_unit: 2147483647, step_size: 1, allocation_ratio: 1.0 };
