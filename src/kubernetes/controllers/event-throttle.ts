/**
 * How fast a recorder's events reach the store. Upstream's events are best-effort: each
 * component writes them through its API client, whose rate limit (QPS and burst) holds
 * them back, and its broadcaster queues at most 1000 and drops the newest beyond that.
 * The same here: a token bucket in front of the writes and a bounded queue behind it.
 * A few hundred pods at once still get every event at once; at the scalability limits
 * (thousands of pods a second, a Scheduled event each) most events are shed instead of
 * costing a store write apiece, as they would be upstream.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';

export interface EventRate {
  /** Events written at once before the rate applies. */
  burst: number;
  /** Events written per second after the burst. */
  perSecond: number;
  /** Events held back waiting for the rate; later ones are dropped. */
  queue: number;
}

/** kos's own figures: generous for interactive use, small beside a scale test's flood. */
export const defaultEventRate: EventRate = { burst: 500, perSecond: 100, queue: 1000 };

export class EventThrottle {
  private tokens: number;
  private last: number;
  private readonly waiting: (() => void)[] = [];
  private timer: TimerHandle | undefined;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rate: EventRate = defaultEventRate,
  ) {
    this.tokens = rate.burst;
    this.last = clock.now();
  }

  /** Run `send` now if the rate allows, later if the queue has room; false when it is dropped. */
  offer(send: () => void): boolean {
    this.refill();
    // Nothing overtakes what already waits: events keep the order they were recorded in.
    if (this.waiting.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      send();
      return true;
    }
    if (this.waiting.length >= this.rate.queue) {
      this.dropped++;
      return false;
    }
    this.waiting.push(send);
    this.arm();
    return true;
  }

  /** Events waiting for the rate. */
  get queued(): number {
    return this.waiting.length;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) * this.rate.perSecond) / 1000);
    this.last = now;
  }

  private arm(): void {
    if (this.timer) return;
    const ms = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.rate.perSecond));
    this.timer = this.clock.setTimer(ms, () => {
      this.timer = undefined;
      this.drain();
    });
  }

  private drain(): void {
    this.refill();
    let sent = 0;
    while (sent < this.waiting.length && this.tokens >= 1) {
      this.tokens -= 1;
      this.waiting[sent++]!();
    }
    this.waiting.splice(0, sent);
    if (this.waiting.length > 0) this.arm();
  }
}
