/**
 * A Store whose calls are answered by a store served on another thread (store-host.ts,
 * protocol in store-bridge-messages.ts). Errors arrive as KosErrors of the same kind,
 * message and details, and watches keep the far watch's order, batches and endings, so
 * code written against the Store contract cannot tell the two apart.
 *
 * One RemoteStore per port: call and watch ids are only unique within it.
 */
import { KosError, badRequest } from '../errors.js';
import {
  bridgeTag,
  fromBridgeError,
  isFromHost,
  Outbox,
  type CallArgs,
  type CallMessage,
  type CallOp,
  type CallResult,
  type FromHost,
  type StorePort,
  type ToHost,
  type ToHostOne,
} from './store-bridge-messages.js';
import type {
  DeleteOptions,
  KeyValue,
  Lease,
  PutOptions,
  RangeOptions,
  RangeResult,
  Store,
  Watch,
  WatchEvent,
  WatchOptions,
} from './types.js';
import { watchIterator } from './watch-iterator.js';

export type { StorePort } from './store-bridge-messages.js';

interface PendingCall {
  resolve: (value: CallResult<CallOp>) => void;
  reject: (error: KosError) => void;
}

/**
 * How far a watch without a limit of its own may fall behind. A consumer on another
 * thread is behind by the work its thread has queued, which under load is more than the
 * store's default allows a consumer on the store's own loop; cutting it off would only
 * make it list everything again. The events buffered are the store's own, not copies.
 */
const defaultMaxBuffered = 500_000;

const closedError = (): KosError => new KosError('Unavailable', 'store is closed');

export class RemoteStore implements Store {
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly watches = new Map<number, RemoteWatch>();
  private closed = false;
  private readonly onMessage = (message: unknown): void => this.receive(message);
  private readonly outbox: Outbox<ToHostOne>;

  constructor(private readonly port: StorePort) {
    this.outbox = new Outbox<ToHostOne>(port, (message, error) => {
      if (message.type !== 'call') return;
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      call?.reject(new KosError('BadRequest', `cannot send ${message.op}: ${error instanceof Error ? error.message : String(error)}`));
    });
    port.on('message', this.onMessage);
  }

  get(key: string, opts?: { revision?: number }): Promise<KeyValue | undefined> {
    return this.call('get', [key, opts]);
  }

  range(prefix: string, opts?: RangeOptions): Promise<RangeResult> {
    return this.call('range', [prefix, opts]);
  }

  create(key: string, value: Uint8Array, opts?: PutOptions): Promise<KeyValue> {
    const [wire, transfer] = outgoing(value);
    return this.call('create', [key, wire, opts], transfer);
  }

  update(key: string, value: Uint8Array, expectedModRevision: number, opts?: PutOptions): Promise<KeyValue> {
    const [wire, transfer] = outgoing(value);
    return this.call('update', [key, wire, expectedModRevision, opts], transfer);
  }

  delete(key: string, opts?: DeleteOptions): Promise<KeyValue> {
    return this.call('delete', [key, opts]);
  }

  grantLease(ttlSeconds: number): Promise<Lease> {
    return this.call('grantLease', [ttlSeconds]);
  }

  keepAlive(leaseId: number): Promise<Lease> {
    return this.call('keepAlive', [leaseId]);
  }

  revokeLease(leaseId: number): Promise<void> {
    return this.call('revokeLease', [leaseId]);
  }

  compact(revision: number): Promise<void> {
    return this.call('compact', [revision]);
  }

  currentRevision(): Promise<number> {
    return this.call('currentRevision', []);
  }

  compactedRevision(): Promise<number> {
    return this.call('compactedRevision', []);
  }

  watch(prefix: string, opts: WatchOptions): Watch {
    // What a local store refuses at once is refused at once here too, not at the first read.
    if (this.closed) throw closedError();
    if (!Number.isSafeInteger(opts.afterRevision) || opts.afterRevision < 0) {
      throw badRequest(`invalid afterRevision ${opts.afterRevision}`);
    }
    const id = this.nextId++;
    const watch = new RemoteWatch(id, (message) => this.outbox.send(message), () => this.watches.delete(id));
    this.watches.set(id, watch);
    const wireOpts: WatchOptions = {
      afterRevision: opts.afterRevision,
      maxBuffered: opts.maxBuffered ?? defaultMaxBuffered,
      ...(opts.prevKv === false ? { prevKv: false } : {}),
    };
    this.outbox.send({ bridge: bridgeTag, type: 'watch', id, prefix, opts: wireOpts } satisfies ToHost);
    return watch;
  }

  /** Ends this side only: the far store belongs to the thread that serves it. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.port.off('message', this.onMessage);
    for (const watch of [...this.watches.values()]) watch.close();
    this.watches.clear();
    // The unwatches go now: the port may close right after.
    this.outbox.flush();
    // Their outcome is unknown: a write may still commit on the far side.
    const error = closedError();
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
    return Promise.resolve();
  }

  private call<O extends CallOp>(op: O, args: CallArgs<O>, transfer?: ArrayBuffer[]): Promise<CallResult<O>> {
    if (this.closed) return Promise.reject(closedError());
    const id = this.nextId++;
    // `op` and `args` agree by this method's signature; the union needs to be told.
    const message = { bridge: bridgeTag, type: 'call', id, op, args } as CallMessage;
    return new Promise<CallResult<O>>((resolve, reject) => {
      // The host answers this id with the result of this very op.
      this.pending.set(id, { resolve: resolve as (value: CallResult<CallOp>) => void, reject });
      this.outbox.send(message, transfer);
    });
  }

  private receive(message: unknown): void {
    if (!isFromHost(message)) return;
    this.dispatch(message);
  }

  private dispatch(message: FromHost): void {
    switch (message.type) {
      case 'bundle':
        for (const m of message.messages) this.dispatch(m);
        return;
      case 'result': {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if (message.ok) call.resolve(message.value);
        else call.reject(fromBridgeError(message.error));
        return;
      }
      case 'events':
        this.watches.get(message.id)?.deliver(message.batch);
        return;
      case 'watchEnd':
        this.watches.get(message.id)?.end(message.error && fromBridgeError(message.error));
        return;
    }
  }
}

/**
 * The value as sent. A view of part of a larger buffer (a pooled Buffer, say) would be
 * cloned with all of that buffer, so only its bytes are copied out, and that copy, ours
 * alone, is moved rather than cloned again. A value that is its whole buffer is cloned:
 * the caller may still use it.
 */
function outgoing(value: Uint8Array): [Uint8Array, ArrayBuffer[] | undefined] {
  if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) return [value, undefined];
  const own = value.slice();
  return [own, [own.buffer]];
}

/**
 * One watch of the far store. It holds at most the one batch a pull brought: the far
 * watch does the buffering, the cut-off of a slow consumer and the paging of a replay.
 */
class RemoteWatch implements Watch {
  private readonly batches: WatchEvent[][] = [];
  private finished = false;
  private failure: KosError | undefined;
  /** A pull was sent and its answer has not come. */
  private pulling = false;
  private wakers: (() => void)[] = [];

  constructor(
    private readonly id: number,
    private readonly send: (message: ToHostOne) => void,
    private readonly detach: () => void,
  ) {}

  deliver(batch: WatchEvent[]): void {
    this.pulling = false;
    if (this.finished) return;
    this.batches.push(batch);
    this.signal();
  }

  /** The far watch ended; nothing more comes for it. */
  end(error: KosError | undefined): void {
    this.pulling = false;
    if (this.finished) return;
    this.failure = error;
    this.finish();
  }

  close(): void {
    if (this.finished && this.failure === undefined) return;
    const open = !this.finished;
    this.failure = undefined;
    this.finish();
    if (open) this.send({ bridge: bridgeTag, type: 'unwatch', id: this.id });
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
      if (batch) return { done: false, value: batch };
      if (this.finished) return { done: true, value: undefined };
      if (!this.pulling) {
        this.pulling = true;
        this.send({ bridge: bridgeTag, type: 'pull', id: this.id });
      }
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    }
  }

  private finish(): void {
    this.finished = true;
    this.batches.length = 0;
    this.detach();
    this.signal();
  }

  private signal(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}
