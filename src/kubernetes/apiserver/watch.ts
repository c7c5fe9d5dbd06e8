/**
 * WATCH: the store's revisioned watch turned into Kubernetes watch events. Without a
 * resourceVersion (or with "0") the watcher first gets a synthetic ADDED for every object
 * that exists, then every change; with rv=N it gets every change after N, or one ERROR
 * event carrying a 410 Expired Status when N has been compacted away. Selectors are
 * applied to both sides of a change, so an object that stops matching is DELETED for
 * this watcher and one that starts matching is ADDED, as the real server does.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import { isKosError } from '../../core/errors.js';
import type { WatchEvent as StoreEvent } from '../../core/store/types.js';
import { filterFor, parseResourceVersion } from './list.js';
import type { KubeObject } from './object.js';
import type { Registry } from './registry.js';
import type { ResourceDefinition } from './resource.js';
import { expired, toStatusError, type StatusObject } from './status.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject | StatusObject;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** End the watch after this long (the client then re-watches). */
  timeoutSeconds?: number;
}

/** How often an idle watcher that asked for bookmarks is told the current revision. */
export const bookmarkIntervalMs = 60_000;

/** The annotation on the bookmark that ends the initial events of a watch-list. */
export const initialEventsEndAnnotation = 'k8s.io/initial-events-end';

/**
 * Run one watch until the signal aborts, the timeout passes or the store ends the stream.
 * `send` writes one event; it is awaited so a slow client slows only its own watch.
 */
export async function runWatch(
  registry: Registry,
  def: ResourceDefinition,
  namespace: string | undefined,
  opts: WatchOptions,
  send: (event: WatchEvent) => Promise<void> | void,
  signal: AbortSignal,
): Promise<void> {
  const wanted = filterFor(def, opts);
  // Only a selector needs the object before a change, to tell whether it matched then.
  const selective = !!(opts.labelSelector || opts.fieldSelector);
  const prefix = registry.keys.prefix(def, namespace);
  const clock = registry.clock;
  const rv = opts.resourceVersion ?? '';
  const fromScratch = rv === '' || rv === '0' || opts.sendInitialEvents === true;
  let position = fromScratch ? 0 : parseResourceVersion(rv);

  const timers: TimerHandle[] = [];
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) timers.push(clock.setTimer(opts.timeoutSeconds * 1000, onAbort));

  try {
    if (fromScratch) {
      position = await sendInitialState(registry, def, prefix, wanted, send, stop.signal);
      if (opts.sendInitialEvents) await send(bookmark(def, position, true));
    }
    if (stop.signal.aborted) return;
    const storeWatch = registry.store.watch(prefix, { afterRevision: position, prevKv: selective });
    stop.signal.addEventListener('abort', () => storeWatch.close(), { once: true });
    if (opts.allowWatchBookmarks) scheduleBookmarks(clock, timers, () => void Promise.resolve(send(bookmark(def, position, false))).catch(onAbort));
    try {
      for await (const batch of storeWatch) {
        for (const ev of batch) {
          const out = translate(registry, def, ev, selective ? wanted : undefined);
          if (out) await send(out);
          position = ev.revision;
        }
        if (stop.signal.aborted) break;
      }
    } catch (e) {
      if (isKosError(e) && e.kind === 'Compacted') {
        const oldest = await registry.store.compactedRevision();
        await send({ type: 'ERROR', object: expired(`too old resource version: ${position} (${oldest + 1})`).status });
      } else if (!(isKosError(e) && e.kind === 'WatchTooSlow')) {
        // The client re-lists after an ERROR; a slow watcher is simply cut off.
        await send({ type: 'ERROR', object: toStatusError(e).status });
      }
    } finally {
      storeWatch.close();
    }
  } finally {
    for (const t of timers) t.cancel();
    signal.removeEventListener('abort', onAbort);
  }
}

/** Send ADDED for every wanted object, all read at one revision; returns that revision. */
async function sendInitialState(
  registry: Registry,
  def: ResourceDefinition,
  prefix: string,
  wanted: (obj: KubeObject) => boolean,
  send: (event: WatchEvent) => Promise<void> | void,
  signal: AbortSignal,
): Promise<number> {
  let page = await registry.store.range(prefix, { limit: 500 });
  for (;;) {
    for (const kv of page.kvs) {
      const obj = registry.decodeAs(def, kv);
      if (wanted(obj)) await send({ type: 'ADDED', object: obj });
    }
    if (!page.continue || signal.aborted) return page.revision;
    page = await registry.store.range(prefix, { limit: 500, continue: page.continue });
  }
}

/** A store event as this watcher sees it; `wanted` is the selectors' filter, absent without selectors. */
function translate(registry: Registry, def: ResourceDefinition, ev: StoreEvent, wanted: ((obj: KubeObject) => boolean) | undefined): WatchEvent | undefined {
  if (ev.type === 'delete') {
    // A deleted object is reported with the revision of its deletion.
    const last = registry.decodeAs(def, ev.kv, ev.revision);
    return !wanted || wanted(last) ? { type: 'DELETED', object: last } : undefined;
  }
  const current = registry.decodeAs(def, ev.kv);
  // Version 1 is a key's first write since it was created: the object is new.
  if (!wanted) return { type: ev.kv.version > 1 ? 'MODIFIED' : 'ADDED', object: current };
  const previous = ev.prevKv ? registry.decodeAs(def, ev.prevKv) : undefined;
  const nowWanted = wanted(current);
  const wasWanted = previous ? wanted(previous) : false;
  if (nowWanted && wasWanted) return { type: 'MODIFIED', object: current };
  if (nowWanted) return { type: 'ADDED', object: current };
  if (wasWanted) return { type: 'DELETED', object: current };
  return undefined;
}

function bookmark(def: ResourceDefinition, revision: number, initialEventsEnd: boolean): WatchEvent {
  const metadata: KubeObject['metadata'] = { resourceVersion: String(revision) };
  if (initialEventsEnd) metadata.annotations = { [initialEventsEndAnnotation]: 'true' };
  return { type: 'BOOKMARK', object: { apiVersion: def.apiVersion, kind: def.kind, metadata } };
}

function scheduleBookmarks(clock: Clock, timers: TimerHandle[], fire: () => void): void {
  const tick = (): void => {
    fire();
    timers.push(clock.setTimer(bookmarkIntervalMs, tick));
  };
  timers.push(clock.setTimer(bookmarkIntervalMs, tick));
}
