/**
 * Leader election on the store: the leader is whoever created the election key, and the
 * key is attached to a lease the leader keeps alive. If the leader dies, its lease
 * expires and the store deletes the key; if it stops cleanly, it revokes the lease at
 * once. Followers watch the key (and re-check it now and then) and race to create it
 * when it disappears; the store's create-if-absent picks exactly one winner.
 *
 * A leader steps down on its own when it could not renew for `renewDeadlineMs`, which is
 * shorter than the lease TTL, so it stops acting before anyone else can be elected.
 */
import type { Clock, TimerHandle } from '../clock.js';
import { isKosError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { Lease, Store, Watch } from '../store/types.js';
import { sleepUnlessAborted, unlessAborted } from './cancel.js';

export interface LeaderElectionOptions {
  store: Store;
  clock: Clock;
  logger?: Logger;
  /** The election key, e.g. `/kos/leases/controllers`. */
  key: string;
  /** Who we are, written as the key's value: host name and pid, or a test label. */
  identity: string;
  /** Lease TTL: how long a dead leader blocks the others (default 15). */
  ttlSeconds?: number;
  /** Time between keep-alives (default a fifth of the TTL). */
  renewIntervalMs?: number;
  /** Step down after failing to renew for this long (default two thirds of the TTL). */
  renewDeadlineMs?: number;
  /** Followers re-check the key this often even if the watch says nothing (default renewIntervalMs). */
  retryIntervalMs?: number;
  /** Called when we become leader; not awaited before renewing starts. */
  onStartedLeading: () => void | Promise<void>;
  /** Called when we stop being leader; awaited before the lease is given up or sought again. */
  onStoppedLeading: () => void | Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class LeaderElector {
  private readonly opts: LeaderElectionOptions;
  private readonly log: Logger;
  private readonly ttlSeconds: number;
  private readonly renewIntervalMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryIntervalMs: number;
  private leading = false;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private watch: Watch | undefined;

  constructor(opts: LeaderElectionOptions) {
    this.opts = opts;
    this.log = (opts.logger ?? silentLogger()).child({ component: 'leader', key: opts.key, identity: opts.identity });
    this.ttlSeconds = opts.ttlSeconds ?? 15;
    const ttlMs = this.ttlSeconds * 1000;
    this.renewIntervalMs = opts.renewIntervalMs ?? Math.floor(ttlMs / 5);
    this.renewDeadlineMs = opts.renewDeadlineMs ?? Math.floor((ttlMs * 2) / 3);
    this.retryIntervalMs = opts.retryIntervalMs ?? this.renewIntervalMs;
    if (this.renewDeadlineMs >= ttlMs || this.renewIntervalMs >= this.renewDeadlineMs) {
      throw new RangeError('leader election needs renewIntervalMs < renewDeadlineMs < ttl');
    }
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The identity written in the election key, if anyone leads. */
  async currentLeader(): Promise<string | undefined> {
    const kv = await this.opts.store.get(this.opts.key);
    return kv ? decoder.decode(kv.value) : undefined;
  }

  /** Campaign in the background until stop(). */
  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  /** Stop campaigning; a leader stops its work, then releases the lease for a quick hand-over. */
  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    this.watch?.close();
    await this.loop;
    this.abort = undefined;
    this.loop = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.waitForVacancy(signal);
        if (signal.aborted) return;
        const lease = await this.tryAcquire();
        if (lease) await this.lead(lease, signal);
      } catch (err) {
        if (signal.aborted) return;
        this.log.warn({ err }, 'leader election step failed; retrying');
        await sleepUnlessAborted(this.opts.clock, this.retryIntervalMs, signal);
      }
    }
  }

  /** Returns once the key is absent (or retryIntervalMs has passed, to look again). */
  private async waitForVacancy(signal: AbortSignal): Promise<void> {
    const { store, key, clock } = this.opts;
    // A range, not a get: it says at which revision the key was seen, and watching from
    // there stays valid after compaction, where the key's own (old) revision may not.
    const read = await store.range(key, { limit: 1 });
    if (read.kvs[0]?.key !== key || signal.aborted) return;
    const watch = store.watch(key, { afterRevision: read.revision });
    this.watch = watch;
    // The watch is the fast path; the timer is the safety net that makes us look again.
    const timer = clock.setTimer(this.retryIntervalMs, () => watch.close());
    try {
      if (signal.aborted) return;
      for await (const batch of watch) {
        // The watch is by prefix: `key` also matches longer keys, which are not ours.
        if (batch.some((ev) => ev.type === 'delete' && ev.kv.key === key)) return;
      }
    } finally {
      timer.cancel();
      watch.close();
      if (this.watch === watch) this.watch = undefined;
    }
  }

  private async tryAcquire(): Promise<Lease | undefined> {
    const { store, key, identity } = this.opts;
    const lease = await store.grantLease(this.ttlSeconds);
    try {
      await store.create(key, encoder.encode(identity), { lease: lease.id });
      return lease;
    } catch (err) {
      await this.release(lease);
      if (isKosError(err) && err.kind === 'AlreadyExists') return undefined;
      throw err;
    }
  }

  private async lead(lease: Lease, outer: AbortSignal): Promise<void> {
    const { clock } = this.opts;
    // The term ends on stop(), on a lost lease, or when the renew deadline passes. The
    // deadline is a timer, not a check after each call, so a renewal that hangs on an
    // unreachable store cannot keep us leading past it.
    const term = new AbortController();
    const endTerm = (): void => term.abort();
    outer.addEventListener('abort', endTerm, { once: true });
    const armDeadline = (from: number): TimerHandle =>
      clock.setTimer(this.renewDeadlineMs - (clock.now() - from), () => {
        this.log.warn('could not renew before the deadline; stepping down');
        term.abort();
      });
    let deadline = armDeadline(clock.now());
    this.leading = true;
    this.log.info({ lease: lease.id }, 'became leader');
    // Not awaited: starting controllers waits for caches, and renewals cannot wait for that.
    const started = this.callback(this.opts.onStartedLeading, 'onStartedLeading');
    try {
      while (!term.signal.aborted) {
        await sleepUnlessAborted(clock, this.renewIntervalMs, term.signal);
        if (term.signal.aborted) break;
        // Taken before the call: the store extends the lease from a moment later than this.
        const attempt = clock.now();
        try {
          const renewed = await unlessAborted(this.renew(lease), term.signal);
          if (!renewed) break;
          if (!renewed.value) {
            this.log.warn('election key is gone or not ours; stepping down');
            break;
          }
          deadline.cancel();
          deadline = armDeadline(attempt);
        } catch (err) {
          if (isKosError(err) && err.kind === 'NotFound') {
            this.log.warn('lease expired; stepping down');
            break;
          }
          this.log.warn({ err }, 'lease renewal failed; will retry until the deadline');
        }
      }
    } finally {
      deadline.cancel();
      outer.removeEventListener('abort', endTerm);
      this.leading = false;
      // Work stops before the lease goes, so two leaders never overlap on a clean stop.
      // Stopping first also cuts short a start still waiting for caches that never sync.
      await this.callback(this.opts.onStoppedLeading, 'onStoppedLeading');
      await started;
      await this.release(lease);
      this.log.info('stopped leading');
    }
  }

  /** Extend the lease; true if the election key is still ours. */
  private async renew(lease: Lease): Promise<boolean> {
    await this.opts.store.keepAlive(lease.id);
    const kv = await this.opts.store.get(this.opts.key);
    return kv !== undefined && kv.lease === lease.id;
  }

  private async release(lease: Lease): Promise<void> {
    try {
      await this.opts.store.revokeLease(lease.id);
    } catch (err) {
      // Already expired, or the store is unreachable: either way the TTL will clean up.
      this.log.debug({ err }, 'could not revoke lease');
    }
  }

  private async callback(fn: () => void | Promise<void>, name: string): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.log.error({ err }, `${name} threw`);
    }
  }
}
