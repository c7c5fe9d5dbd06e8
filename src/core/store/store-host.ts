/**
 * Serves a store to another thread over a port (the protocol is in
 * store-bridge-messages.ts; the other end is remote-store.ts). The store stays with the
 * thread that opened it, which also closes it: the host only answers.
 *
 * Calls are made on the store in the order their messages arrive, so the far side's
 * order of asking is the store's order of seeing, and the store's own rules about
 * reading around pending writes hold across the bridge. Values are sent by copy, never
 * transferred: the store's caches and watchers share them.
 */
import { KosError } from '../errors.js';
import {
  bridgeTag,
  isToHost,
  Outbox,
  toBridgeError,
  type CallArgs,
  type CallMessage,
  type CallOp,
  type CallResult,
  type FromHostOne,
  type StorePort,
  type WatchMessage,
} from './store-bridge-messages.js';
import type { Store, Watch, WatchEvent } from './types.js';

export type { StorePort } from './store-bridge-messages.js';

export interface StoreHost {
  /**
   * Take no more requests and end every watch served; calls already taken are still
   * answered. The store stays open.
   */
  close(): void;
  /** Watches currently served. */
  openWatches(): number;
}

type Invoke<O extends CallOp> = (store: Store, args: CallArgs<O>) => Promise<CallResult<O>>;

/** Also the list of what a message may ask for: nothing else of the store is reachable. */
const invokers: { [O in CallOp]: Invoke<O> } = {
  get: (store, args) => store.get(...args),
  range: (store, args) => store.range(...args),
  create: (store, args) => store.create(...args),
  update: (store, args) => store.update(...args),
  delete: (store, args) => store.delete(...args),
  grantLease: (store, args) => store.grantLease(...args),
  keepAlive: (store, args) => store.keepAlive(...args),
  revokeLease: (store, args) => store.revokeLease(...args),
  compact: (store, args) => store.compact(...args),
  currentRevision: (store, args) => store.currentRevision(...args),
  compactedRevision: (store, args) => store.compactedRevision(...args),
};

interface Served {
  watch: Watch;
  iterator: AsyncIterator<WatchEvent[]>;
  /** A pull is being answered; a second one before the answer changes nothing. */
  pulling: boolean;
  /** Whether the consumer reads prevKv; if not, it is not sent (the larger half of an update). */
  prevKv: boolean;
}

const withoutPrevKv = (ev: WatchEvent): WatchEvent => (ev.prevKv ? { type: ev.type, kv: ev.kv, revision: ev.revision } : ev);

export function serveStore(store: Store, port: StorePort): StoreHost {
  const watches = new Map<number, Served>();
  let closed = false;

  const outbox = new Outbox<FromHostOne>(port, (message, error) => {
    // The caller would otherwise wait forever for an answer that cannot be cloned.
    if (message.type === 'result' && message.ok) postError(message.id, error);
    else if (message.type === 'result' && message.error.details) post({ ...message, error: { kind: message.error.kind, message: message.error.message } });
  });
  const post = (message: FromHostOne): void => outbox.send(message);

  const answer = (id: number, outcome: Promise<CallResult<CallOp>>): void => {
    outcome.then(
      (value) => post({ bridge: bridgeTag, type: 'result', id, ok: true, value }),
      (error: unknown) => postError(id, error),
    );
  };

  // Details that cannot be cloned are dropped rather than the error itself (Outbox above).
  const postError = (id: number, error: unknown): void => post({ bridge: bridgeTag, type: 'result', id, ok: false, error: toBridgeError(error) });

  const call = (message: CallMessage): void => {
    if (!Object.hasOwn(invokers, message.op)) {
      postError(message.id, new KosError('BadRequest', `unknown store operation ${String(message.op)}`));
      return;
    }
    let outcome: Promise<CallResult<CallOp>>;
    try {
      // The op and its args come from one message of the union, so they match; the
      // compiler cannot follow that correlation through the lookup.
      const invoke = invokers[message.op] as Invoke<CallOp>;
      outcome = invoke(store, message.args);
    } catch (e) {
      outcome = Promise.reject(e);
    }
    answer(message.id, outcome);
  };

  const endWatch = (id: number, error?: unknown): void => {
    const end: FromHostOne = { bridge: bridgeTag, type: 'watchEnd', id };
    if (error !== undefined) end.error = toBridgeError(error);
    post(end);
  };

  const openWatch = (message: WatchMessage): void => {
    if (watches.has(message.id)) return;
    let watch: Watch;
    try {
      watch = store.watch(message.prefix, message.opts);
    } catch (e) {
      endWatch(message.id, e);
      return;
    }
    watches.set(message.id, { watch, iterator: watch[Symbol.asyncIterator](), pulling: false, prevKv: message.opts.prevKv !== false });
  };

  const pull = (id: number): void => {
    const served = watches.get(id);
    if (!served || served.pulling) return;
    served.pulling = true;
    served.iterator.next().then(
      (step) => {
        served.pulling = false;
        // Unwatched or closed while waiting: the far side no longer listens for it.
        if (watches.get(id) !== served) return;
        if (step.done) {
          watches.delete(id);
          endWatch(id);
        } else {
          post({ bridge: bridgeTag, type: 'events', id, batch: served.prevKv ? step.value : step.value.map(withoutPrevKv) });
        }
      },
      (error: unknown) => {
        served.pulling = false;
        if (watches.get(id) !== served) return;
        watches.delete(id);
        endWatch(id, error);
      },
    );
  };

  const unwatch = (id: number): void => {
    const served = watches.get(id);
    if (!served) return;
    watches.delete(id);
    served.watch.close();
  };

  const onMessage = (message: unknown): void => {
    if (closed || !isToHost(message)) return;
    switch (message.type) {
      case 'bundle':
        for (const m of message.messages) onMessage(m);
        break;
      case 'call':
        call(message);
        break;
      case 'watch':
        openWatch(message);
        break;
      case 'pull':
        pull(message.id);
        break;
      case 'unwatch':
        unwatch(message.id);
        break;
    }
  };

  port.on('message', onMessage);

  return {
    close() {
      if (closed) return;
      closed = true;
      port.off('message', onMessage);
      for (const [id, served] of [...watches]) {
        watches.delete(id);
        served.watch.close();
        // As a local watcher sees its store close: the watch finishes, without error.
        endWatch(id);
      }
    },
    openWatches: () => watches.size,
  };
}
