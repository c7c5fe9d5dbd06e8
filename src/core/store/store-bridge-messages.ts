/**
 * The protocol between a store served on one thread (store-host.ts) and its stand-in on
 * another (remote-store.ts). Both ends share a port with other traffic of their threads,
 * so every message of this protocol carries `bridge: 'store'` and each end ignores the
 * rest.
 *
 * Watches are pulled, not pushed: the host takes the next batch from its watch only when
 * the remote consumer asks for one. The far watch thus keeps its own behaviour exactly:
 * history replays page by page as the consumer reads, a compaction that overtakes a
 * replay fails it, and a consumer that falls more than `maxBuffered` events behind is cut
 * off by the same rule, counted in the same place, as a local watcher.
 */
import { KosError, type ErrorKind } from '../errors.js';
import type { Store, WatchEvent, WatchOptions } from './types.js';

/**
 * What both ends need of a port: a worker's `parentPort`, a `Worker` and either port of
 * a `MessageChannel` (node:worker_threads) all fit.
 */
export interface StorePort {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export const bridgeTag = 'store';

/** The Store methods answered by one call and one result. */
export type CallOp =
  | 'get'
  | 'range'
  | 'create'
  | 'update'
  | 'delete'
  | 'grantLease'
  | 'keepAlive'
  | 'revokeLease'
  | 'compact'
  | 'currentRevision'
  | 'compactedRevision';

export type CallArgs<O extends CallOp> = Parameters<Store[O]>;
export type CallResult<O extends CallOp> = Awaited<ReturnType<Store[O]>>;

/** A KosError as it crosses: enough to build an equal one on the other side. */
export interface BridgeError {
  kind: ErrorKind;
  message: string;
  details?: Record<string, unknown>;
}

interface Tagged {
  bridge: typeof bridgeTag;
}

/** One message per op, so that `op` narrows `args`. */
export type CallMessage = { [O in CallOp]: Tagged & { type: 'call'; id: number; op: O; args: CallArgs<O> } }[CallOp];
/** Open a watch under `id`; nothing is sent for it before the first pull. */
export type WatchMessage = Tagged & { type: 'watch'; id: number; prefix: string; opts: WatchOptions };
/** The consumer waits: send the watch's next batch, or its end. */
export type PullMessage = Tagged & { type: 'pull'; id: number };
/** Close the watch; the host sends nothing more for it. */
export type UnwatchMessage = Tagged & { type: 'unwatch'; id: number };

export type ResultMessage = Tagged & { type: 'result'; id: number } & (
    | { ok: true; value: CallResult<CallOp> }
    | { ok: false; error: BridgeError }
  );
/** The answer to one pull: one batch of the far watch, as it gave it. */
export type EventsMessage = Tagged & { type: 'events'; id: number; batch: WatchEvent[] };
/** The far watch finished (no error) or failed; no more messages follow for `id`. */
export type WatchEndMessage = Tagged & { type: 'watchEnd'; id: number; error?: BridgeError };

/** The messages of one turn of the event loop, sent as one (Outbox). */
export type BundleMessage<M> = Tagged & { type: 'bundle'; id: 0; messages: M[] };

/** One request, and what crosses: one request or a bundle of them. */
export type ToHostOne = CallMessage | WatchMessage | PullMessage | UnwatchMessage;
export type ToHost = ToHostOne | BundleMessage<ToHostOne>;
export type FromHostOne = ResultMessage | EventsMessage | WatchEndMessage;
export type FromHost = FromHostOne | BundleMessage<FromHostOne>;

const toHostTypes: ReadonlySet<string> = new Set<ToHost['type']>(['call', 'watch', 'pull', 'unwatch', 'bundle']);
const fromHostTypes: ReadonlySet<string> = new Set<FromHost['type']>(['result', 'events', 'watchEnd', 'bundle']);

function isBridgeMessage(message: unknown, types: ReadonlySet<string>): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { bridge?: unknown; type?: unknown; id?: unknown };
  return m.bridge === bridgeTag && typeof m.type === 'string' && types.has(m.type) && typeof m.id === 'number';
}

export const isToHost = (message: unknown): message is ToHost => isBridgeMessage(message, toHostTypes);
export const isFromHost = (message: unknown): message is FromHost => isBridgeMessage(message, fromHostTypes);

/** Anything that is not a KosError crosses as 'Internal': the far side has no other kind for it. */
export function toBridgeError(error: unknown): BridgeError {
  if (error instanceof KosError) {
    return error.details === undefined
      ? { kind: error.kind, message: error.message }
      : { kind: error.kind, message: error.message, details: error.details };
  }
  return { kind: 'Internal', message: error instanceof Error ? error.message : String(error) };
}

export function fromBridgeError(error: BridgeError): KosError {
  return new KosError(error.kind, error.message, error.details);
}

/**
 * Sends the messages of one turn of the event loop as one. A busy turn then costs one
 * postMessage rather than hundreds, and a value in several messages (one event for both a
 * kind's watch and a whole-cluster watch) is cloned once and arrives as one object, so
 * the far side's caches keyed by it see it once.
 */
export class Outbox<M extends ToHostOne | FromHostOne> {
  private queue: M[] = [];
  private transfer: ArrayBuffer[] = [];
  private scheduled = false;

  constructor(
    private readonly port: StorePort,
    /** A message that cannot be cloned (the rest are sent without it). */
    private readonly unsendable: (message: M, error: unknown) => void,
  ) {}

  send(message: M, transfer?: readonly ArrayBuffer[]): void {
    this.queue.push(message);
    if (transfer) this.transfer.push(...transfer);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Send what is queued now. */
  flush(): void {
    this.scheduled = false;
    const messages = this.queue;
    const transfer = this.transfer;
    if (messages.length === 0) return;
    this.queue = [];
    this.transfer = [];
    try {
      if (messages.length === 1) this.port.postMessage(messages[0], transfer);
      else this.port.postMessage({ bridge: bridgeTag, type: 'bundle', id: 0, messages } as BundleMessage<M>, transfer);
    } catch {
      // One message spoils the bundle: send them one by one to find it. Transfers went
      // with the failed attempt only if it got as far as moving them; none did, as a
      // clone failure is found before anything moves.
      for (const message of messages) {
        try {
          this.port.postMessage(message);
        } catch (e) {
          this.unsendable(message, e);
        }
      }
    }
  }
}
