/** pods/log query parameters (PodLogOptions) with the real server's validation messages. */
import type { LogOptions } from '../../runtime/types.js';
import { failure } from '../status.js';

type Query = Record<string, string | undefined>;

const invalid = (field: string, value: string, why: string): Error =>
  failure(422, 'Invalid', `PodLogOptions "" is invalid: ${field}: Invalid value: ${value}: ${why}`, {
    kind: 'PodLogOptions',
    causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${why}`, field }],
  });

function positiveInt(query: Query, name: string, allowZero: boolean): number | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw failure(400, 'BadRequest', `invalid ${name} "${v}": must be an integer`);
  const n = Number(v);
  if (n < 0 || (!allowZero && n === 0)) throw invalid(name, v, allowZero ? 'must be greater than or equal to 0' : 'must be greater than 0');
  return n;
}

const flag = (query: Query, name: string): boolean => query[name] === 'true' || query[name] === '1';

export function parseLogOptions(query: Query): LogOptions {
  const opts: LogOptions = { follow: flag(query, 'follow'), timestamps: flag(query, 'timestamps'), previous: flag(query, 'previous') };
  const tailLines = positiveInt(query, 'tailLines', true);
  if (tailLines !== undefined) opts.tailLines = tailLines;
  const sinceSeconds = positiveInt(query, 'sinceSeconds', false);
  if (sinceSeconds !== undefined) opts.sinceSeconds = sinceSeconds;
  const limitBytes = positiveInt(query, 'limitBytes', false);
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  return opts;
}
