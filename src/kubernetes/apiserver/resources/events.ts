/** Events (core/v1): what happened to an object, shown by kubectl get events and describe. */
import { required, type FieldError } from '../field-errors.js';
import { numberAt, objectAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageOf } from '../time.js';
import { column } from './columns.js';

const involved = (o: KubeObject): Record<string, unknown> => objectAt(o, 'involvedObject') ?? {};

function lastSeen(o: KubeObject, now: number): string {
  const ts = stringAt(o, 'lastTimestamp') ?? stringAt(o, 'eventTime') ?? o.metadata.creationTimestamp;
  return ageOf(ts, now);
}

export const events = defineResource({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  nameRule: 'pathSegment',
  strategy: {
    validate(obj) {
      const errs: FieldError[] = [];
      const io = objectAt(obj, 'involvedObject');
      if (!io) errs.push(required('involvedObject'));
      else if (io.namespace !== undefined && io.namespace !== '' && io.namespace !== obj.metadata.namespace) {
        errs.push({ type: 'Invalid', field: 'involvedObject.namespace', value: io.namespace, detail: 'does not match event.namespace' });
      }
      return errs;
    },
  },
  tableColumns: [
    column('Last Seen', 'string', 'Time since the most recent occurrence of the event', lastSeen),
    column('Type', 'string', 'Type of this event (Normal, Warning)', (o) => stringAt(o, 'type') ?? ''),
    column('Reason', 'string', 'Why the action was taken', (o) => stringAt(o, 'reason') ?? ''),
    column('Object', 'string', 'The object this event is about', (o) => `${(stringAt(involved(o), 'kind') ?? '').toLowerCase()}/${stringAt(involved(o), 'name') ?? ''}`),
    column('Subobject', 'string', 'The field of the object this event is about', (o) => stringAt(involved(o), 'fieldPath') ?? '', 1),
    column('Source', 'string', 'The component reporting this event', (o) => stringAt(objectAt(o, 'source') ?? {}, 'component') ?? '', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation', (o) => stringAt(o, 'message') ?? ''),
    column('First Seen', 'string', 'Time since the first occurrence of the event', (o, now) => ageOf(stringAt(o, 'firstTimestamp') ?? o.metadata.creationTimestamp, now), 1),
    column('Count', 'string', 'How many times the event occurred', (o) => String(numberAt(o, 'count') ?? 1), 1),
    column('Name', 'string', 'The name of the event', (o) => o.metadata.name ?? '', 1),
  ],
});
