/**
 * What the job controller wrote but its pod cache has not shown yet: pods created (by
 * name) and pods deleted (by uid). Counting them keeps a sync that runs before the
 * informer catches up from creating a second pod for the same slot. Entries older than
 * five minutes are dropped, as upstream's expectations expire, so a lost event cannot
 * stall a job forever.
 */
const ttlMs = 5 * 60_000;

interface Pending {
  /** Pod name → when created and the completion index it was made for. */
  created: Map<string, { at: number; index: number | undefined }>;
  deleted: Map<string, { at: number; index: number | undefined }>;
}

/** A pod created and not yet in the cache. */
export interface PendingPod {
  name: string;
  index: number | undefined;
}

export class PodExpectations {
  private readonly byJob = new Map<string, Pending>();

  constructor(private readonly now: () => number) {}

  private entry(job: string): Pending {
    let e = this.byJob.get(job);
    if (!e) {
      e = { created: new Map(), deleted: new Map() };
      this.byJob.set(job, e);
    }
    return e;
  }

  created(job: string, podName: string, index: number | undefined): void {
    this.entry(job).created.set(podName, { at: this.now(), index });
  }

  deleted(job: string, podUid: string): void {
    this.entry(job).deleted.set(podUid, { at: this.now(), index: undefined });
  }

  /** The informer showed the pod: its creation is no longer pending. */
  observedAdd(job: string, podName: string): void {
    this.byJob.get(job)?.created.delete(podName);
  }

  /** The informer showed the pod gone. */
  observedDelete(job: string, podUid: string): void {
    this.byJob.get(job)?.deleted.delete(podUid);
  }

  /** Pods created and not yet seen. */
  pendingCreates(job: string): PendingPod[] {
    const m = this.byJob.get(job)?.created;
    return this.live(m).map((name) => ({ name, index: m?.get(name)?.index }));
  }

  /** Pod uids deleted and still seen. */
  pendingDeletes(job: string): Set<string> {
    return new Set(this.live(this.byJob.get(job)?.deleted));
  }

  forget(job: string): void {
    this.byJob.delete(job);
  }

  private live(m: Map<string, { at: number }> | undefined): string[] {
    if (!m) return [];
    const now = this.now();
    for (const [k, v] of m) if (now - v.at > ttlMs) m.delete(k);
    return [...m.keys()];
  }
}
