/**
 * Field errors and the 422 `Invalid` Status built from them. The wording follows the real
 * server's field error types ("Required value", "Invalid value: …", "Unsupported value:
 * …") because kubectl shows these messages verbatim and users search for them.
 */
import { failure, type StatusCause, type StatusError } from './status.js';

export type FieldErrorType = 'Required' | 'Invalid' | 'NotSupported' | 'Forbidden' | 'Duplicate' | 'TooLong';

export interface FieldError {
  type: FieldErrorType;
  /** Path such as `metadata.name` or `spec.containers[0].image`. */
  field: string;
  value?: unknown;
  detail?: string;
  /** For NotSupported: the values that are allowed. */
  supported?: string[];
}

const causeReason: Record<FieldErrorType, string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  Duplicate: 'FieldValueDuplicate',
  TooLong: 'FieldValueTooLong',
};

export const required = (field: string, detail = ''): FieldError => ({ type: 'Required', field, detail });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'Invalid', field, value, detail });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'NotSupported',
  field,
  value,
  supported,
});
export const forbiddenField = (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'Duplicate', field, value });

/** Go's %#v-ish rendering of a value, close enough for a human to recognise it. */
function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'null';
  return JSON.stringify(value) ?? 'null';
}

/** The message of one error without its field, as in `details.causes[].message`. */
export function describe(e: FieldError): string {
  switch (e.type) {
    case 'Required':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'Invalid':
      return `Invalid value: ${render(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'NotSupported':
      return `Unsupported value: ${render(e.value)}: supported values: ${(e.supported ?? []).map((s) => `"${s}"`).join(', ')}`;
    case 'Forbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'Duplicate':
      return `Duplicate value: ${render(e.value)}`;
    case 'TooLong':
      return `Too long: ${e.detail ?? ''}`;
  }
}

/** `Kind "name" is invalid: field: message` (several: `[a, b]`), 422, with causes. */
export function invalidError(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const parts = errors.map((e) => `${e.field}: ${describe(e)}`);
  const summary = parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const causes: StatusCause[] = errors.map((e) => ({ reason: causeReason[e.type], message: describe(e), field: e.field }));
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes,
  });
}
