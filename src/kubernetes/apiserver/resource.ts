/**
 * A resource definition: everything the generic registry, discovery and Table output need
 * to know about one kind. A kind's file says only what is special about it (defaults,
 * validation, columns); the lifecycle itself lives once, in registry.ts.
 */
import type { ClusterAuth, UserInfo } from './auth.js';
import type { FieldError } from './field-errors.js';
import type { KubeObject } from './object.js';
import type { NameRule } from './validation.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const allVerbs: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** What a strategy may consult beyond the object itself. */
export interface StrategyContext {
  /** Milliseconds since the epoch from the cluster's clock. */
  now: number;
}

/**
 * Hooks of one kind's lifecycle, all optional. Create: defaults → prepareForCreate →
 * validate. Update: defaults → prepareForUpdate → validate → validateUpdate. Hooks mutate
 * the object they are given; validators return field errors.
 */
export interface Strategy {
  /** Fill unset fields as the real server's defaulting does (on create and update). */
  defaults?(obj: KubeObject): void;
  /** Reset what a client may not set on create (status, typically). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  validate?(obj: KubeObject): FieldError[];
  /** Keep what a client may not change through the main resource (status, typically). */
  prepareForUpdate?(next: KubeObject, old: KubeObject): void;
  validateUpdate?(next: KubeObject, old: KubeObject): FieldError[];
  /** Spec-like fields whose change bumps metadata.generation; absent: the kind has no generation. */
  generationFields?: readonly string[];
  /**
   * Seconds a DELETE leaves the object terminating before it goes (pods: the kubelet
   * stops the containers, then deletes with 0). 0 or absent: deleted at once.
   */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number;
}

/** A Table column: the definition kubectl prints as a header and how to compute a cell. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: 'name' | 'date' | '';
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: 0 | 1;
  cell(obj: KubeObject, now: number): string | number | boolean;
}

export type SubresourceName = 'status' | 'scale' | 'log' | 'exec' | 'attach' | 'portforward' | 'binding' | 'eviction' | 'token';

/** What a computed create (a review, a TokenRequest) may consult: who asks, and the cluster's auth. */
export interface ComputeContext {
  user: UserInfo | undefined;
  namespace: string | undefined;
  dryRun: boolean;
  auth: ClusterAuth;
}

/** A create that answers with a computed object and stores nothing (SelfSubjectAccessReview, TokenReview). */
export type ComputedCreate = (body: KubeObject, ctx: ComputeContext) => Promise<KubeObject>;

/** A POST on a subresource, computed from the stored parent (serviceaccounts/token). */
export type SubresourceCreate = (parent: KubeObject, body: unknown, ctx: ComputeContext) => Promise<KubeObject>;

export interface ResourceSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  categories?: readonly string[];
  subresources?: readonly SubresourceName[];
  verbs?: readonly Verb[];
  /** How object names are validated (default: DNS-1123 subdomain). */
  nameRule?: NameRule;
  strategy?: Strategy;
  /** Columns after NAME; AGE is added last unless the kind places it itself. */
  tableColumns?: readonly TableColumn[];
  /** Answer DELETE with the object instead of a Success Status (pods, services do). */
  returnDeletedObject?: boolean;
  /**
   * Set on a version served as a view of another version's stored objects (autoscaling/v1
   * of the v2 HPAs): the registry stores and runs the strategy of `storage`, converting on
   * the way in and out. This definition's own `strategy.validate` still runs first, on
   * the object as the client sent it.
   */
  conversion?: VersionConversion;
  /** Set on kinds answered from a provider instead of the store (metrics.k8s.io): get and list only. */
  source?: ObjectSource;
  /** Set on create-only kinds that are never stored: create answers with what this computes. */
  compute?: ComputedCreate;
  /** POST handlers of subresources listed in `subresources` (e.g. token). */
  subresourceCreate?: Partial<Record<SubresourceName, SubresourceCreate>>;
}

/** How a served version maps to and from the version its objects are stored in. */
export interface VersionConversion {
  storage: ResourceDefinition;
  /** Served form → stored form; `stored` is the current object on updates, to keep what the served version cannot express. */
  toStorage(obj: KubeObject, stored: KubeObject | undefined): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

/** Objects computed on demand rather than stored. */
export interface ObjectSource {
  list(namespace: string | undefined): Promise<KubeObject[]>;
  get(namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
}

export interface ResourceDefinition extends Required<Omit<ResourceSpec, 'conversion' | 'source' | 'compute'>> {
  apiVersion: string;
  listKind: string;
  conversion?: VersionConversion;
  source?: ObjectSource;
  compute?: ComputedCreate;
}

export function defineResource(spec: ResourceSpec): ResourceDefinition {
  const def: ResourceDefinition = {
    shortNames: [],
    categories: [],
    subresources: [],
    verbs: allVerbs,
    nameRule: 'subdomain',
    strategy: {},
    tableColumns: [],
    returnDeletedObject: false,
    subresourceCreate: {},
    ...spec,
    apiVersion: spec.group ? `${spec.group}/${spec.version}` : spec.version,
    listKind: `${spec.kind}List`,
  };
  return def;
}

/** The group/version a path serves, e.g. `v1` or `apps/v1`. */
export const groupVersionOf = (def: ResourceDefinition): string => def.apiVersion;
