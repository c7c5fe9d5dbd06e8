/**
 * Per-namespace usage totals kept current from the informers, so neither the quota
 * controller nor the admission plugin ever walks a namespace's objects more than once: a
 * namespace is counted the first time a quota asks about it, then every add, update and
 * delete adjusts its totals. Totals are split by pod scope class, so scoped quotas
 * (BestEffort, Terminating…) read their share without recounting.
 *
 * Admitted creates not yet seen by the informers are held as reservations: the
 * admission check counts them, so two creates racing past one quota cannot both fit
 * where only one does. A reservation ends when the informer sees the object, or after
 * a timeout (the write failed after admission).
 */
import type { Clock, TimerHandle } from '../../../../core/clock.js';
import type { Informer, InformerHandler } from '../../../../core/reconcile/index.js';
import type { KubeObject } from '../../../apiserver/object.js';
import { byNamespace } from '../indexes.js';
import { scopesMatch, type ScopeFlags, type Usage } from './usage.js';

export interface TrackedKind {
  plural: string;
  informer: Informer<KubeObject>;
  usage(o: KubeObject): Usage;
  scope(o: KubeObject): ScopeFlags;
  /** Whether an update can change the object's usage (a pod finishing, a service changing type). */
  usageMayChange?(old: KubeObject, next: KubeObject): boolean;
}

/** How long an admitted create may take to reach the informer before its reservation lapses. */
export const reservationTimeoutMs = 30_000;

interface ClassTotals {
  flags: ScopeFlags;
  values: Map<string, number>;
}

interface Reservation {
  flags: ScopeFlags;
  usage: Usage;
  timer: TimerHandle;
}

const classOf = (f: ScopeFlags): string => (f.pod ? `pod:${f.bestEffort ? 'B' : 'b'}${f.terminating ? 'T' : 't'}` : 'other');

export class UsageTracker {
  private readonly totals = new Map<string, Map<string, ClassTotals>>();
  private readonly binary = new Set<string>();
  private readonly reservations = new Map<string, Map<string, Reservation>>();
  private readonly listeners = new Set<(namespace: string) => void>();

  constructor(
    private readonly clock: Clock,
    readonly kinds: readonly TrackedKind[],
    /** Starts informers that run on demand (SharedInformers.demand); waitForSync calls it. */
    private readonly demand: (informer: Informer<KubeObject>) => void = () => undefined,
  ) {
    for (const kind of kinds) kind.informer.addHandler(this.handlerFor(kind));
  }

  /** Called with a namespace whenever its counted usage changes. */
  onChange(fn: (namespace: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Whether every informer has loaded: totals from a half-filled cache would undercount. */
  synced(): boolean {
    return this.kinds.every((k) => k.informer.hasSynced());
  }

  async waitForSync(): Promise<void> {
    for (const k of this.kinds) this.demand(k.informer);
    await Promise.all(this.kinds.map((k) => k.informer.waitForSync()));
  }

  /** Resource names ever seen written in binary units (for printing). */
  isBinary(resource: string): boolean {
    return this.binary.has(resource);
  }

  /** Observed usage (no reservations) of the objects a quota with these scopes covers. */
  observed(namespace: string, scopes: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const cls of this.namespaceTotals(namespace).values()) {
      if (scopes.length > 0 && !scopesMatch(scopes, cls.flags)) continue;
      for (const [r, v] of cls.values) out.set(r, (out.get(r) ?? 0) + v);
    }
    return out;
  }

  /** Observed usage plus the reservations of admitted creates not yet observed. */
  committed(namespace: string, scopes: readonly string[]): Map<string, number> {
    const out = this.observed(namespace, scopes);
    for (const r of this.reservations.get(namespace)?.values() ?? []) {
      if (scopes.length > 0 && !scopesMatch(scopes, r.flags)) continue;
      for (const [name, v] of r.usage.values) out.set(name, (out.get(name) ?? 0) + v);
    }
    return out;
  }

  /** Hold an admitted create's usage until the informer reports the object. */
  reserve(plural: string, namespace: string, name: string, flags: ScopeFlags, usage: Usage): void {
    let byName = this.reservations.get(namespace);
    if (!byName) {
      byName = new Map();
      this.reservations.set(namespace, byName);
    }
    const key = `${plural}/${name}`;
    byName.get(key)?.timer.cancel();
    const timer = this.clock.setTimer(reservationTimeoutMs, () => this.release(plural, namespace, name));
    byName.set(key, { flags, usage, timer });
  }

  private release(plural: string, namespace: string, name: string): void {
    const byName = this.reservations.get(namespace);
    const key = `${plural}/${name}`;
    const r = byName?.get(key);
    if (!byName || !r) return;
    r.timer.cancel();
    byName.delete(key);
    if (byName.size === 0) this.reservations.delete(namespace);
  }

  private namespaceTotals(namespace: string): Map<string, ClassTotals> {
    let classes = this.totals.get(namespace);
    if (classes) return classes;
    classes = new Map();
    this.totals.set(namespace, classes);
    for (const kind of this.kinds) {
      for (const o of kind.informer.byIndex(byNamespace, namespace)) this.apply(classes, kind.scope(o), kind.usage(o), 1);
    }
    return classes;
  }

  private apply(classes: Map<string, ClassTotals>, flags: ScopeFlags, usage: Usage, sign: 1 | -1): void {
    const key = classOf(flags);
    let cls = classes.get(key);
    if (!cls) {
      cls = { flags, values: new Map() };
      classes.set(key, cls);
    }
    for (const [r, v] of usage.values) cls.values.set(r, (cls.values.get(r) ?? 0) + sign * v);
    for (const r of usage.binary) this.binary.add(r);
  }

  private handlerFor(kind: TrackedKind): InformerHandler<KubeObject> {
    const change = (o: KubeObject, sign: 1 | -1): void => {
      const ns = o.metadata.namespace ?? '';
      const classes = this.totals.get(ns);
      if (!classes) return;
      this.apply(classes, kind.scope(o), kind.usage(o), sign);
      for (const fn of this.listeners) fn(ns);
    };
    return {
      onAdd: (_k, o) => {
        this.release(kind.plural, o.metadata.namespace ?? '', o.metadata.name ?? '');
        change(o, 1);
      },
      onUpdate: (_k, old, next) => {
        if (!kind.usageMayChange?.(old, next)) return;
        change(old, -1);
        change(next, 1);
      },
      onDelete: (_k, o) => change(o, -1),
    };
  }
}
