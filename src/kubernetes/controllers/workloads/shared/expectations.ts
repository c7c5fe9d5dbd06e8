/**
 * Expectations (upstream's ControllerExpectations): after asking for N creations and some
 * deletions, a controller does not act on its owner again until the informer has shown
 * it those changes — otherwise a reconcile that runs before the cache catches up would
 * see too few pods and create them twice. Deletions are tracked by key so that a pod
 * seen first terminating and then gone counts once. Expectations older than five
 * minutes are treated as met, so a lost event cannot wedge an owner forever.
 */
import type { Clock } from '../../../../core/clock.js';

const expiryMs = 5 * 60 * 1000;

interface Pending {
  adds: number;
  deletes: Set<string>;
  since: number;
}

export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  /** Whether the owner's last requests have all been observed (or have expired). */
  satisfied(owner: string): boolean {
    const p = this.pending.get(owner);
    if (!p) return true;
    if ((p.adds <= 0 && p.deletes.size === 0) || this.clock.now() - p.since > expiryMs) {
      this.pending.delete(owner);
      return true;
    }
    return false;
  }

  expectCreations(owner: string, count: number): void {
    const p = this.entry(owner);
    p.adds += count;
  }

  expectDeletions(owner: string, keys: readonly string[]): void {
    const p = this.entry(owner);
    for (const k of keys) p.deletes.add(k);
  }

  /** A created dependent appeared in the cache, or a creation failed and never will. */
  creationObserved(owner: string): void {
    const p = this.pending.get(owner);
    if (p) p.adds--;
  }

  /** A dependent went (or started terminating), or its delete failed. */
  deletionObserved(owner: string, key: string): void {
    this.pending.get(owner)?.deletes.delete(key);
  }

  forget(owner: string): void {
    this.pending.delete(owner);
  }

  private entry(owner: string): Pending {
    let p = this.pending.get(owner);
    if (!p || this.clock.now() - p.since > expiryMs) {
      p = { adds: 0, deletes: new Set(), since: this.clock.now() };
      this.pending.set(owner, p);
    }
    p.since = this.clock.now();
    return p;
  }
}
