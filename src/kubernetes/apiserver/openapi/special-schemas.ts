/**
 * Schemas of the types whose JSON form is not their struct (see the protobuf decoder's
 * special-types.ts for the same list): timestamps are RFC 3339 strings, a Quantity is a
 * string or a number, an IntOrString either, raw extensions and FieldsV1 any object.
 */
import type { SchemaObject } from './schema-object.js';

export const specialSchemas: ReadonlyMap<string, SchemaObject> = new Map<string, SchemaObject>([
  ['meta.v1.Time', { description: 'A timestamp in RFC 3339 form, to the second.', type: 'string', format: 'date-time' }],
  ['meta.v1.MicroTime', { description: 'A timestamp in RFC 3339 form, to the microsecond.', type: 'string', format: 'date-time' }],
  ['meta.v1.Duration', { description: 'A duration in Go form, e.g. 1h2m3s.', type: 'string' }],
  ['meta.v1.FieldsV1', { description: 'The set of fields a manager owns, in the FieldsV1 format.', type: 'object' }],
  [
    'resource.Quantity',
    { description: 'A fixed-point quantity such as 500m, 1Gi or 2.', oneOf: [{ type: 'string' }, { type: 'number' }] },
  ],
  [
    'intstr.IntOrString',
    {
      description: 'An integer or a string, such as a port number or name, or a percentage.',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    },
  ],
  [
    'runtime.RawExtension',
    { description: 'An embedded object of any kind.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  ],
]);
