/**
 * Events at events.k8s.io/v1: the same stored objects as core/v1 events (as in the real
 * server), converted field by field — regarding ↔ involvedObject, note ↔ message,
 * reportingController ↔ reportingComponent, deprecatedSource/FirstTimestamp/LastTimestamp/
 * Count ↔ source/firstTimestamp/lastTimestamp/count. New events written at this version
 * must carry what the events.k8s.io API requires.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import type { JsonObject, KubeObject } from '../object.js';
import { defineResource, type VersionConversion } from '../resource.js';
import { events as coreEvents } from './events.js';

/** [events.k8s.io/v1 field, core/v1 field] pairs; the other fields share their names. */
const renamed: readonly (readonly [string, string])[] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const shared = ['eventTime', 'series', 'reportingInstance', 'action', 'reason', 'related', 'type'];

function rename(from: KubeObject, pairs: readonly (readonly [string, string])[], apiVersion: string): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: from.metadata };
  const src: JsonObject = from;
  for (const k of shared) if (src[k] !== undefined) out[k] = src[k];
  for (const [a, b] of pairs) if (src[a] !== undefined) out[b] = src[a];
  return out;
}

const toCore = (e: KubeObject): KubeObject => rename(e, renamed, 'v1');

const conversion: VersionConversion = {
  storage: coreEvents,
  toStorage: (e) => toCore(e),
  fromStorage: (e) => rename(e, renamed.map(([a, b]) => [b, a] as const), 'events.k8s.io/v1'),
};

const eventTypes = ['Normal', 'Warning'];

/** What the events.k8s.io API asks of an event written through it. */
function validateEventsV1(e: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (e.eventTime == null) errs.push(required('eventTime'));
  for (const f of ['reportingController', 'reportingInstance', 'action', 'reason']) if (typeof e[f] !== 'string' || e[f] === '') errs.push(required(f));
  if (!eventTypes.includes(String(e.type))) errs.push(notSupported('type', e.type, eventTypes));
  if (typeof e.note === 'string' && e.note.length > 1024) errs.push(invalid('note', '', 'can have at most 1024 characters'));
  return errs;
}

export const eventsV1 = defineResource({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  nameRule: 'pathSegment',
  conversion,
  strategy: { validate: validateEventsV1 },
  // The real server prints these through the core Event printer: same columns.
  tableColumns: coreEvents.tableColumns.map((c) => ({ ...c, cell: (o: KubeObject, now: number) => c.cell(toCore(o), now) })),
});
