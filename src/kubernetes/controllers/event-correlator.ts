/**
 * What keeps a burst of events from costing a write each, as upstream's event correlator
 * (client-go tools/record) does before anything reaches the API:
 * - aggregation: once 10 events about one object with the same type and reason but
 *   different messages arrive within 10 minutes, further ones are folded into a single
 *   event whose message reads "(combined from similar events): <latest message>" and
 *   whose count grows;
 * - a spam filter: a token bucket per source and object (burst 25, then one per 5
 *   minutes); an event beyond it is dropped.
 * A ReplicaSet scaling to 300 replicas so writes some 25 events, not 300; an object
 * with a handful of events sees no difference.
 */

/** Distinct messages of one kind of event before they are combined (upstream: 10). */
export const maxSimilarMessages = 10;
/** Window in which similar events are combined (upstream: 600 s). */
export const similarWindowMs = 600_000;
/** Events per source and object allowed in a burst (upstream: 25) … */
export const spamBurst = 25;
/** … and the rate they refill at (upstream: one per 300 s). */
export const spamRefillMs = 300_000;
/** Objects remembered by each cache (upstream: 4096). */
const remembered = 4096;

export const combinedPrefix = '(combined from similar events): ';

export interface CorrelatedEvent {
  /** The message to write (combined, or as given). */
  message: string;
  /** Present when the event is folded into its kind's combined event: the key to find it by. */
  aggregateKey?: string;
}

interface Similar {
  messages: Set<string>;
  last: number;
}

interface Bucket {
  tokens: number;
  last: number;
}

export class EventCorrelator {
  private readonly similar = new Map<string, Similar>();
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Decide about one event: undefined to drop it, else what to write. `aggregateKey`
   * names the object, type, reason and source; `spamKey` the source and object.
   */
  correlate(aggregateKey: string, spamKey: string, message: string, now: number): CorrelatedEvent | undefined {
    const combined = this.aggregate(aggregateKey, message, now);
    if (!this.allow(spamKey, now)) return undefined;
    return combined ? { message: combinedPrefix + message, aggregateKey } : { message };
  }

  /** True once this kind of event has had maxSimilarMessages distinct messages in the window. */
  private aggregate(key: string, message: string, now: number): boolean {
    let record = this.similar.get(key);
    if (!record || now - record.last > similarWindowMs) record = { messages: new Set(), last: now };
    record.messages.add(message);
    record.last = now;
    remember(this.similar, key, record);
    if (record.messages.size < maxSimilarMessages) return false;
    // Keep the set at its cap: one message out for the one that came in.
    const first = record.messages.values().next();
    if (!first.done) record.messages.delete(first.value);
    return true;
  }

  private allow(key: string, now: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: spamBurst, last: now };
    bucket.tokens = Math.min(spamBurst, bucket.tokens + (now - bucket.last) / spamRefillMs);
    bucket.last = now;
    remember(this.buckets, key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** Set key as the most recent entry, forgetting the oldest beyond the cap. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > remembered) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
