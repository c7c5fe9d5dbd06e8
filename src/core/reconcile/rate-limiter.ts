/**
 * The two limits a work queue puts on retries: a per-key exponential back-off, so one
 * broken object waits longer and longer without slowing the others, and a token bucket
 * shared by all keys, so a mass failure (the store briefly unavailable) cannot turn into
 * a retry storm. Both answer "how long until this key may run again", in milliseconds.
 */
import type { Clock } from '../clock.js';

export interface BackoffOptions {
  /** Delay after the first failure. */
  baseMs?: number;
  /** The delay never grows past this. */
  maxMs?: number;
}

/** Doubles a key's delay on each failure up to a cap; `forget` starts it over. */
export class ExponentialBackoff {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly failures = new Map<string, number>();

  constructor(opts: BackoffOptions = {}) {
    // A few ms first: most reconcile errors are "a dependency is not there yet" and
    // clear quickly. The cap is a minute rather than client-go's quarter hour because
    // everything here runs in one process and a stuck object should not wait long
    // once its cause is fixed.
    this.baseMs = opts.baseMs ?? 5;
    this.maxMs = opts.maxMs ?? 60_000;
  }

  /** The delay for this key's next retry; counts one more failure. */
  next(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long before it matters; min() keeps it at the cap.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}

export interface TokenBucketOptions {
  /** Tokens added per second. */
  qps?: number;
  /** Tokens the bucket holds when full: retries allowed at once after a quiet spell. */
  burst?: number;
}

/**
 * A token bucket that hands out reservations: taking a token never fails, it says how
 * long the caller must wait for it. Tokens may go negative, which queues callers in
 * order at 1/qps intervals.
 */
export class TokenBucket {
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    opts: TokenBucketOptions = {},
  ) {
    this.qps = opts.qps ?? 50;
    this.burst = opts.burst ?? 300;
    if (this.qps <= 0 || this.burst < 1) throw new RangeError('token bucket needs qps > 0 and burst >= 1');
    this.tokens = this.burst;
    this.last = clock.now();
  }

  /** Take one token; returns the wait in ms before it is really available (0 if now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens * 1000) / this.qps);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
  }
}
