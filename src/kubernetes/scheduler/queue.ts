/**
 * The scheduling queue, shaped like upstream's: an active heap (higher spec.priority
 * first, then older), a back-off area for pods that just failed (1 s doubling to 10 s
 * per attempt), and an unschedulable pool that a cluster change (a node added or
 * changed, a pod removed) moves back, or that is flushed after five minutes anyway.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { PodInfo } from './pod-info.js';

interface Entry {
  pod: PodInfo;
  seq: number;
  attempts: number;
  /** When the pod went into the unschedulable pool. */
  since: number;
  backoffUntil: number;
}

const initialBackoffMs = 1_000;
const maxBackoffMs = 10_000;
/** How long a pod may sit in the unschedulable pool without any event moving it. */
export const maxUnschedulableMs = 5 * 60_000;
const flushEveryMs = 30_000;

const before = (a: Entry, b: Entry): boolean =>
  a.pod.priority !== b.pod.priority ? a.pod.priority > b.pod.priority : a.pod.createdAt !== b.pod.createdAt ? a.pod.createdAt < b.pod.createdAt : a.seq < b.seq;

export class SchedulingQueue {
  private heap: Entry[] = [];
  private readonly inHeap = new Map<string, Entry>();
  private readonly backoff = new Map<string, Entry>();
  private readonly unschedulable = new Map<string, Entry>();
  /** Parked pods that failed on affinity or spreading: another pod's arrival may help them. */
  private readonly waitingForPods = new Set<string>();
  /** Pods handed out and not yet done: an update meanwhile is kept for after. */
  private readonly inFlight = new Map<string, Entry>();
  private seq = 0;
  private backoffTimer: TimerHandle | undefined;
  private flushTimer: TimerHandle | undefined;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    /** Called when pods become active, to wake the scheduling loop. */
    private readonly wake: () => void,
  ) {}

  start(): void {
    this.closed = false;
    this.scheduleFlush();
  }

  close(): void {
    this.closed = true;
    this.backoffTimer?.cancel();
    this.flushTimer?.cancel();
    this.backoffTimer = undefined;
    this.flushTimer = undefined;
  }

  /**
   * A pending pod was added or changed. A parked pod whose spec or labels changed
   * (`changed`) is tried again; one whose status alone changed stays parked.
   */
  addOrUpdate(pod: PodInfo, changed = true): void {
    const key = pod.key;
    const queued = this.inHeap.get(key);
    if (queued) {
      const moved = queued.pod.priority !== pod.priority;
      queued.pod = pod;
      if (moved) this.reheap();
      return;
    }
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.pod = pod;
      return;
    }
    const waiting = this.backoff.get(key) ?? this.unschedulable.get(key);
    if (waiting) {
      waiting.pod = pod;
      if (changed && this.unschedulable.delete(key)) {
        this.waitingForPods.delete(key);
        this.toBackoffOrActive(waiting);
      }
      return;
    }
    this.push({ pod, seq: this.seq++, attempts: 0, since: 0, backoffUntil: 0 });
  }

  remove(key: string): void {
    const e = this.inHeap.get(key);
    if (e) {
      this.inHeap.delete(key);
      this.heap = this.heap.filter((x) => x !== e);
      this.reheap();
    }
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.waitingForPods.delete(key);
    this.inFlight.delete(key);
  }

  /** The next pod to schedule, or undefined when none is active. */
  pop(): PodInfo | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    this.inHeap.delete(top.pod.key);
    top.attempts++;
    this.inFlight.set(top.pod.key, top);
    return top.pod;
  }

  /** Scheduling (and binding) of a popped pod succeeded. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * No node fits: park the pod until the cluster changes. `waitsForPods`: it failed on
   * pod affinity or topology spreading, so a pod being bound may let it fit.
   */
  unschedulableNow(key: string, waitsForPods = false): void {
    const e = this.inFlight.get(key);
    if (!e) return;
    this.inFlight.delete(key);
    e.since = this.clock.now();
    e.backoffUntil = e.since + this.backoffMs(e.attempts);
    this.unschedulable.set(key, e);
    if (waitsForPods) this.waitingForPods.add(key);
  }

  /** A pod was bound somewhere: retry the parked pods that were waiting on other pods. */
  movePodsWaitingForPods(): void {
    if (this.waitingForPods.size === 0) return;
    const keys = [...this.waitingForPods];
    this.waitingForPods.clear();
    for (const key of keys) {
      const e = this.unschedulable.get(key);
      if (!e) continue;
      this.unschedulable.delete(key);
      this.toBackoffOrActive(e);
    }
  }

  /** A transient failure (a lost bind): try again after the pod's back-off. */
  retryLater(key: string): void {
    const e = this.inFlight.get(key);
    if (!e) return;
    this.inFlight.delete(key);
    e.backoffUntil = this.clock.now() + this.backoffMs(e.attempts);
    this.toBackoffOrActive(e);
  }

  /** Something that may let parked pods fit happened: move them all back. */
  moveAllToActiveOrBackoff(): void {
    if (this.unschedulable.size === 0) return;
    const parked = [...this.unschedulable.values()];
    this.unschedulable.clear();
    this.waitingForPods.clear();
    for (const e of parked) this.toBackoffOrActive(e);
  }

  activeCount(): number {
    return this.heap.length;
  }

  unschedulableCount(): number {
    return this.unschedulable.size;
  }

  backoffCount(): number {
    return this.backoff.size;
  }

  private backoffMs(attempts: number): number {
    return Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.max(0, attempts - 1));
  }

  private toBackoffOrActive(e: Entry): void {
    if (e.backoffUntil <= this.clock.now()) {
      this.push(e);
      return;
    }
    this.backoff.set(e.pod.key, e);
    this.armBackoff();
  }

  private armBackoff(): void {
    if (this.closed || this.backoff.size === 0) return;
    let next = Infinity;
    for (const e of this.backoff.values()) next = Math.min(next, e.backoffUntil);
    this.backoffTimer?.cancel();
    this.backoffTimer = this.clock.setTimer(Math.max(0, next - this.clock.now()), () => {
      this.backoffTimer = undefined;
      const now = this.clock.now();
      for (const [key, e] of this.backoff) {
        if (e.backoffUntil > now) continue;
        this.backoff.delete(key);
        this.push(e);
      }
      this.armBackoff();
    });
  }

  private scheduleFlush(): void {
    if (this.closed) return;
    this.flushTimer = this.clock.setTimer(flushEveryMs, () => {
      const now = this.clock.now();
      for (const [key, e] of this.unschedulable) {
        if (now - e.since < maxUnschedulableMs) continue;
        this.unschedulable.delete(key);
        this.waitingForPods.delete(key);
        this.toBackoffOrActive(e);
      }
      this.scheduleFlush();
    });
  }

  private push(e: Entry): void {
    this.inHeap.set(e.pod.key, e);
    this.heap.push(e);
    this.up(this.heap.length - 1);
    this.wake();
  }

  private reheap(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
