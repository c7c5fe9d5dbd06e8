/**
 * The event recorder: what a controller did, written as core/v1 Events that `kubectl
 * describe` and `kubectl get events` show. A repeat of the same event (same object,
 * type, reason and message) bumps the count and lastTimestamp of the one already written,
 * as upstream's correlator does, so a retried failure does not flood the store; many
 * similar events about one object are combined and a burst beyond a limit is dropped
 * (event-correlator.ts). Writes are held to a rate, queued behind it, and shed once the
 * queue is full (event-throttle.ts). Recording never fails the caller: a lost event is
 * logged and forgotten.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { isObject, numberAt, type KubeObject } from '../apiserver/object.js';
import type { Registry } from '../apiserver/registry.js';
import type { ResourceDefinition } from '../apiserver/resource.js';
import { events } from '../apiserver/resources/events.js';
import { rfc3339 } from '../apiserver/time.js';
import { EventCorrelator, type CorrelatedEvent } from './event-correlator.js';
import { EventThrottle } from './event-throttle.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

/** Remember at most this many recent events for aggregation. */
const remembered = 4096;
/** At most one line about shed events per this long. */
const droppedReportMs = 60_000;

/** Shared by every recorder in the process, so no two name an event alike. */
let eventSequence = 0;

export class EventRecorder {
  private readonly recent = new Map<string, string>();
  private readonly correlator = new EventCorrelator();
  /** Events being created, by correlation key. */
  private readonly creating = new Map<string, Promise<KubeObject>>();
  private readonly throttle: EventThrottle;
  private droppedReportedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly eventsDef: ResourceDefinition = events,
  ) {
    this.throttle = new EventThrottle(clock);
  }

  /**
   * Record an event about `object` (fire and forget). The correlator decides first, as
   * upstream's does before its queue: what it drops or folds costs no share of the rate.
   * Then it is written now, or once the rate allows, or shed.
   */
  record(object: KubeObject, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const at = this.clock.now();
    const decided = this.correlate(object, type, reason, message, source, at);
    if (!decided) return;
    const offered = this.throttle.offer(() => {
      this.send(object, type, reason, source, fieldPath, at, decided).catch((e: unknown) => {
        this.log.debug({ err: e, reason }, 'event not recorded');
      });
    });
    if (!offered && at - this.droppedReportedAt >= droppedReportMs) {
      this.droppedReportedAt = at;
      this.log.info({ dropped: this.throttle.dropped, reason }, 'events are recorded faster than they may be written: the newest are dropped');
    }
  }

  private correlate(object: KubeObject, type: EventType, reason: string, message: string, source: EventSource, at: number): CorrelatedEvent | undefined {
    const meta = object.metadata;
    const involved = [object.kind, object.apiVersion, meta.namespace ?? '', meta.name ?? '', meta.uid ?? ''].join('\u0000');
    const from = `${source.component}\u0000${source.host ?? ''}`;
    return this.correlator.correlate(`${involved}\u0000${from}\u0000${type}\u0000${reason}`, `${involved}\u0000${from}`, message, at);
  }

  /** Write a decided event that happened at `at`: a new Event, or a bump of the one it repeats. */
  private async send(object: KubeObject, type: EventType, reason: string, source: EventSource, fieldPath: string | undefined, at: number, decided: CorrelatedEvent): Promise<void> {
    const meta = object.metadata;
    // Cluster-scoped objects' events live in `default`, as upstream puts them.
    const namespace = meta.namespace || 'default';
    const text = decided.message;
    const now = rfc3339(at);
    const correlation = decided.aggregateKey ?? [meta.uid ?? '', type, reason, text, source.component, fieldPath ?? ''].join('\u0000');
    // A repeat arriving while its first copy is still being created bumps that copy
    // rather than creating a twin.
    await this.creating.get(correlation)?.catch(() => undefined);
    const existing = this.recent.get(correlation);
    if (existing) {
      try {
        await this.registry.updateWith(this.eventsDef, namespace, existing, (current) => ({
          ...current,
          count: (numberAt(current, 'count') ?? 1) + 1,
          lastTimestamp: now,
          // A combined event shows the latest of the messages it stands for.
          message: text,
        }));
        return;
      } catch {
        // Gone (expired or deleted): write a fresh one below.
        this.recent.delete(correlation);
      }
    }
    const name = `${meta.name ?? 'unknown'}.${this.suffix()}`;
    const involvedObject: Record<string, unknown> = {
      kind: object.kind,
      apiVersion: object.apiVersion,
      name: meta.name,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
    };
    if (meta.namespace) involvedObject.namespace = meta.namespace;
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message: text,
      type,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    const creating = this.registry.create(this.eventsDef, namespace, body);
    this.creating.set(correlation, creating);
    let created: KubeObject;
    try {
      created = await creating;
    } finally {
      if (this.creating.get(correlation) === creating) this.creating.delete(correlation);
    }
    if (isObject(created.metadata) && created.metadata.name) {
      if (this.recent.size >= remembered) {
        const oldest = this.recent.keys().next();
        if (!oldest.done) this.recent.delete(oldest.value);
      }
      this.recent.set(correlation, created.metadata.name);
    }
  }

  /**
   * The real recorder names an event `<object>.<hex of its time in nanoseconds>`; a
   * counter in the sub-millisecond digits keeps two events of one millisecond apart.
   */
  private suffix(): string {
    eventSequence = (eventSequence + 1) % 1_000_000;
    return (BigInt(this.clock.now()) * 1_000_000n + BigInt(eventSequence)).toString(16);
  }
}
