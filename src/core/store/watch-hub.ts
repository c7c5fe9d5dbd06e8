/**
 * In-process watch fan-out. A watch first replays history from the backend's revision
 * table, page by page as the consumer pulls, then switches to live events handed over by
 * the writer right after each commit.
 *
 * Why there is no gap and no duplicate: the backend is synchronous (a write commits and
 * publishes in one turn of the event loop), so a replay page read and the "nothing more
 * in the table" check that switches a stream to live happen between writes, never
 * during one. While a stream replays it ignores live events — the table has them — and
 * once live it only accepts revisions above the last one it took from the table.
 *
 * Why memory stays bounded: replay reads one page at a time on demand, and a live stream
 * that holds more than `maxBuffered` undelivered events is cut off with 'WatchTooSlow'
 * and its buffer dropped at once.
 */
import { KosError } from '../errors.js';
import type { Watch, WatchEvent, WatchOptions } from './types.js';
import { watchIterator } from './watch-iterator.js';

/** What the hub needs from a backend to replay history. Synchronous on purpose (above). */
export interface HistorySource {
  /** Events under prefix with revision > after, in revision order, at most limit. */
  readHistory(prefix: string, after: number, limit: number): WatchEvent[];
  compactedRevision(): number;
  currentRevision(): number;
}

const defaultMaxBuffered = 10_000;
const replayPageSize = 1_000;

export class WatchHub {
  private readonly streams = new Set<WatchStream>();

  constructor(private readonly source: HistorySource) {}

  open(prefix: string, opts: WatchOptions): Watch {
    const stream = new WatchStream(prefix, opts, this.source, (s) => this.streams.delete(s));
    this.streams.add(stream);
    stream.begin(opts.afterRevision);
    return stream;
  }

  /** The prefixes of the watches that read prevKv (WatchOptions.prevKv). */
  prevKvPrefixes(): string[] {
    const prefixes: string[] = [];
    for (const stream of this.streams) if (stream.wantsPrevKv) prefixes.push(stream.prefix);
    return prefixes;
  }

  /** Hand the events of one committed write transaction to every watch. */
  publish(events: readonly WatchEvent[]): void {
    if (events.length === 0) return;
    for (const stream of this.streams) stream.offer(events);
  }

  /** End every watch cleanly (the store is closing). */
  closeAll(): void {
    for (const stream of [...this.streams]) stream.close();
  }

  /** Watches currently registered (for tests and metrics). */
  size(): number {
    return this.streams.size;
  }
}

class WatchStream implements Watch {
  private readonly maxBuffered: number;
  readonly wantsPrevKv: boolean;
  /** Highest revision taken into this stream, from the table or live. */
  private position: number;
  private live = false;
  private finished = false;
  private failure: KosError | undefined;
  private readonly batches: WatchEvent[][] = [];
  private buffered = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly prefix: string,
    opts: WatchOptions,
    private readonly source: HistorySource,
    private readonly detach: (s: WatchStream) => void,
  ) {
    this.maxBuffered = opts.maxBuffered ?? defaultMaxBuffered;
    this.wantsPrevKv = opts.prevKv !== false;
    this.position = opts.afterRevision;
  }

  /** Called once the hub holds the stream, so a failure here also leaves the hub. */
  begin(afterRevision: number): void {
    const compacted = this.source.compactedRevision();
    if (afterRevision < compacted) {
      this.fail(new KosError('Compacted', `revision ${afterRevision} is compacted (compacted at ${compacted})`));
    }
  }

  offer(events: readonly WatchEvent[]): void {
    if (!this.live || this.finished) return;
    const mine = events.filter((e) => e.revision > this.position && e.kv.key.startsWith(this.prefix));
    const last = mine[mine.length - 1];
    if (!last) return;
    this.position = last.revision;
    this.batches.push(mine);
    this.buffered += mine.length;
    if (this.buffered > this.maxBuffered) {
      this.fail(new KosError('WatchTooSlow', `watch on ${this.prefix} fell more than ${this.maxBuffered} events behind`));
      return;
    }
    this.signal();
  }

  close(): void {
    if (this.finished && this.failure === undefined) return;
    this.failure = undefined;
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent[]> {
    return watchIterator(() => this.next(), () => this.close());
  }

  private async next(): Promise<IteratorResult<WatchEvent[]>> {
    for (;;) {
      if (this.failure) {
        const failure = this.failure;
        this.failure = undefined;
        throw failure;
      }
      const batch = this.batches.shift();
      if (batch) {
        this.buffered -= batch.length;
        return { done: false, value: batch };
      }
      if (this.finished) return { done: true, value: undefined };
      if (!this.live) {
        this.replayPage();
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Take the next page from the table, or go live when the table has nothing newer. */
  private replayPage(): void {
    const compacted = this.source.compactedRevision();
    if (this.position < compacted) {
      this.fail(new KosError('Compacted', `revision ${this.position} was compacted during replay (compacted at ${compacted})`));
      return;
    }
    const events = this.source.readHistory(this.prefix, this.position, replayPageSize);
    const last = events[events.length - 1];
    if (!last) {
      // Nothing newer under the prefix up to now: every later write reaches us live.
      this.position = Math.max(this.position, this.source.currentRevision());
      this.live = true;
      return;
    }
    this.position = last.revision;
    this.batches.push(events);
    this.buffered += events.length;
  }

  private fail(error: KosError): void {
    this.failure = error;
    this.finish();
  }

  /** Drop the buffer, leave the hub and wake a waiting consumer. */
  private finish(): void {
    this.finished = true;
    this.batches.length = 0;
    this.buffered = 0;
    this.detach(this);
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
