/**
 * The namespace controller: for a namespace being deleted that still carries the
 * `kubernetes` finalizer, delete everything in it (every namespaced stored kind of the
 * catalog, custom resources included), report progress in status.conditions, and once
 * nothing is left remove the finalizer through finalize — which deletes the namespace
 * when no other finalizer holds it. Content that goes (or gets a finalizer removed) wakes
 * its namespace, so waiting on finalizers needs no polling.
 */
import type { Clock } from '../../../core/clock.js';
import type { Informer, Reconciler, ReconcileResult } from '../../../core/reconcile/index.js';
import { finalizeNamespace, kubernetesFinalizer, namespaceFinalizers } from '../../apiserver/namespace-deletion.js';
import { isObject, type KubeObject } from '../../apiserver/object.js';
import type { Registry } from '../../apiserver/registry.js';
import type { ResourceDefinition } from '../../apiserver/resource.js';
import { StatusError } from '../../apiserver/status.js';
import type { ObjectSummary } from '../cluster-objects.js';
import type { StoredKinds } from '../stored-kinds.js';
import { conditionsFor, mergeConditions, type ContentReport } from './conditions.js';

const resourceName = (def: ResourceDefinition): string => (def.group ? `${def.plural}.${def.group}` : def.plural);

export class NamespaceController implements Reconciler {
  readonly name = 'namespace';

  constructor(
    private readonly registry: Registry,
    private readonly namespaces: ResourceDefinition,
    private readonly kinds: StoredKinds,
    private readonly objects: Informer<ObjectSummary>,
    private readonly clock: Clock,
  ) {}

  /** A namespace's own key; for content, its namespace's key while that namespace is being deleted. */
  keysFor(key: string, object: ObjectSummary): string[] {
    if (key.startsWith(this.registry.keys.prefix(this.namespaces))) return [key];
    if (object.namespace === undefined) return [];
    const nsKey = this.registry.keys.key(this.namespaces, undefined, object.namespace);
    return this.objects.get(nsKey)?.deleting ? [nsKey] : [];
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const kv = await this.registry.store.get(key);
    if (!kv) return {};
    const ns = this.registry.decode(kv);
    const name = ns.metadata.name ?? '';
    if (!ns.metadata.deletionTimestamp || !namespaceFinalizers(ns).includes(kubernetesFinalizer)) return {};
    const failures = await this.deleteContent(name);
    const report = await this.survey(name, failures);
    await this.writeStatus(ns, report);
    if (failures.size > 0) throw new Error(`namespace ${name}: ${failures.size} resource types failed to delete`);
    if (report.remaining.size > 0) return {};
    await finalizeNamespace(this.registry, this.namespaces, name, {
      metadata: { name },
      spec: { finalizers: namespaceFinalizers(ns).filter((f) => f !== kubernetesFinalizer) },
    });
    return {};
  }

  private async deleteContent(namespace: string): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    for (const def of this.kinds.namespaced()) {
      for (const obj of await this.list(def, namespace)) {
        if (obj.metadata.deletionTimestamp) continue;
        try {
          await this.registry.delete(def, namespace, obj.metadata.name ?? '', {
            propagationPolicy: 'Background',
            preconditions: { uid: obj.metadata.uid ?? '' },
          });
        } catch (e) {
          if (e instanceof StatusError && (e.code === 404 || e.code === 409)) continue;
          failures.set(resourceName(def), e instanceof Error ? e.message : String(e));
        }
      }
    }
    return failures;
  }

  private async survey(namespace: string, failures: Map<string, string>): Promise<ContentReport> {
    const report: ContentReport = { failures, remaining: new Map(), finalizers: new Map() };
    for (const def of this.kinds.namespaced()) {
      const left = await this.list(def, namespace);
      if (left.length > 0) report.remaining.set(resourceName(def), left.length);
      for (const obj of left) {
        for (const f of obj.metadata.finalizers ?? []) report.finalizers.set(f, (report.finalizers.get(f) ?? 0) + 1);
      }
    }
    return report;
  }

  private async list(def: ResourceDefinition, namespace: string): Promise<KubeObject[]> {
    const read = await this.registry.store.range(this.registry.keys.prefix(def, namespace));
    return read.kvs.map((kv) => this.registry.decode(kv));
  }

  private async writeStatus(ns: KubeObject, report: ContentReport): Promise<void> {
    const drafts = conditionsFor(report);
    await this.registry.updateWith(
      this.namespaces,
      undefined,
      ns.metadata.name ?? '',
      (cur) => {
        const status = isObject(cur.status) ? cur.status : {};
        return { ...cur, status: { ...status, phase: 'Terminating', conditions: mergeConditions(status.conditions, drafts, this.clock) } };
      },
      { subresource: 'status' },
    );
  }
}
