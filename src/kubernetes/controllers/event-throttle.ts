/**
 * How fast a recorder's events reach the store. Upstream's events are best-effort: each
 * component writes them through its API client, whose rate limit (QPS and burst) holds
 * them back, and its broadcaster queues at most 1000 and drops the newest beyond that.
 * The same here: a token bucket in front of the writes and a bounded queue behind it.
 * A few hundred pods at once still get every event at once; at the scalability limits
 * (thousands of pods a second, a Scheduled event each) most events are shed instead of
 * costing a store write apiece, as they would be upstream.
 */
import type { Clock } from '../../core/clock.js';
import { TokenBucket } from '../../core/reconcile/index.js';

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
  /** Reservations in order: a held-back event is due after every one held back before it. */
  private readonly bucket: TokenBucket;
  private waiting = 0;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rate: EventRate = defaultEventRate,
  ) {
    this.bucket = new TokenBucket(clock, { qps: rate.perSecond, burst: rate.burst });
  }

  /** Run `send` now if the rate allows, later if the queue has room; false when it is dropped. */
  offer(send: () => void): boolean {
    // A dropped event takes no token: it must not delay the ones that wait.
    if (this.waiting >= this.rate.queue) {
      this.dropped++;
      return false;
    }
    const wait = this.bucket.reserve();
    if (wait === 0) {
      send();
      return true;
    }
    this.waiting++;
    this.clock.setTimer(wait, () => {
      this.waiting--;
      send();
    });
    return true;
  }

  /** Events waiting for the rate. */
  get queued(): number {
    return this.waiting;
  }
}
