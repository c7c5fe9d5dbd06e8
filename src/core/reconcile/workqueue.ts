/**
 * The queue between "something changed" and "reconcile it". It holds keys, not events:
 * a key added ten times before a worker gets to it is reconciled once, because the
 * reconciler re-reads the world anyway. A key is never handed to two workers at once; if
 * it is added while being processed, it is queued again when the worker calls done().
 */
import type { Clock, TimerHandle } from '../clock.js';
import { ExponentialBackoff, TokenBucket, type BackoffOptions, type TokenBucketOptions } from './rate-limiter.js';

export interface WorkQueueOptions {
  clock: Clock;
  backoff?: BackoffOptions;
  /** Shared limit on rate-limited re-adds across all keys. */
  bucket?: TokenBucketOptions;
}

interface Delayed {
  at: number;
  timer: TimerHandle;
}

export class WorkQueue {
  private readonly clock: Clock;
  private readonly backoff: ExponentialBackoff;
  private readonly bucket: TokenBucket;
  /** Keys ready to hand out, in order. Every key here is also in `dirty`. */
  private readonly ready = new Fifo<string>();
  /** Keys that need a (further) reconcile: queued, or re-added while processing. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, Delayed>();
  private readonly getters: ((key: string | undefined) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private stopping = false;

  constructor(opts: WorkQueueOptions) {
    this.clock = opts.clock;
    this.backoff = new ExponentialBackoff(opts.backoff);
    this.bucket = new TokenBucket(opts.clock, opts.bucket);
  }

  /** Queue a key now. A key already waiting is not queued twice. */
  add(key: string): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.dirty.add(key);
    // A key being processed goes back on the queue at done(), never to a second worker.
    if (this.processing.has(key)) return;
    this.ready.push(key);
    this.dispatch();
  }

  /**
   * Queue a key after ms. If the key is already due sooner, the earlier time wins, so
   * repeated requeue requests do not push a key ever further into the future.
   */
  addAfter(key: string, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(ms, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { at, timer });
  }

  /** Queue a key after its back-off, or later if the shared bucket is empty. */
  addRateLimited(key: string): void {
    if (this.stopping) return;
    this.addAfter(key, Math.max(this.backoff.next(key), this.bucket.reserve()));
  }

  /** The key succeeded: its next failure starts from the base delay again. */
  forget(key: string): void {
    this.backoff.forget(key);
  }

  /** Failures counted for a key since it was last forgotten. */
  retries(key: string): number {
    return this.backoff.retries(key);
  }

  /**
   * The next key to process, waiting for one if none is ready; undefined once the queue
   * is shut down. The caller must call done(key) when it has finished.
   */
  get(): Promise<string | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Processing of a key finished; if it was re-added meanwhile it is queued again. */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key) && !this.stopping) {
      this.ready.push(key);
      this.dispatch();
    }
    if (this.processing.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Keys ready and waiting for a worker (the gauge operators watch). */
  depth(): number {
    return this.ready.length;
  }

  /** Keys scheduled for later by addAfter or addRateLimited. */
  delayedCount(): number {
    return this.delayed.size;
  }

  /** Keys handed to a worker and not yet done. */
  inFlight(): number {
    return this.processing.size;
  }

  isShutdown(): boolean {
    return this.stopping;
  }

  /**
   * Stop handing out keys: waiting get() calls return undefined, queued and delayed keys
   * are dropped (they are level-triggered; whoever starts again lists everything anyway).
   */
  shutdown(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const d of this.delayed.values()) d.timer.cancel();
    this.delayed.clear();
    this.ready.clear();
    this.dirty.clear();
    const getters = this.getters.splice(0);
    for (const g of getters) g(undefined);
  }

  /** Resolves when no key is being processed (after shutdown: when workers are done). */
  idle(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private take(): string | undefined {
    const key = this.ready.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private dispatch(): void {
    while (this.getters.length > 0 && this.ready.length > 0) {
      const getter = this.getters.shift();
      const key = this.take();
      if (getter && key !== undefined) getter(key);
    }
  }
}

/**
 * A first-in first-out queue with O(1) shift: Array.prototype.shift moves every element
 * once an array is large, and a busy cluster's pod queue holds tens of thousands of keys.
 */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Drop the consumed front once it is most of the array, so memory follows the length.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
