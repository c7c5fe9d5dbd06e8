/**
 * Strategic merge patch failures with the status the API server gives each: malformed
 * directives are 400 with the library's message, lists of lists are the generic 422, and
 * the library's other errors (which the real server lets through as 500) are 400 here.
 */
import { badRequest, unprocessable } from '../../errors.js';
import type { KosError } from '../../../../core/errors.js';
import { goFormat, goTypeName } from './go-format.js';

export class StrategicMergeError extends Error {
  override readonly name = 'StrategicMergeError';
  constructor(
    message: string,
    readonly statusCode: 400 | 422 = 400,
  ) {
    super(message);
  }

  toKosError(): KosError {
    return this.statusCode === 422 ? unprocessable(this.message) : badRequest(this.message);
  }
}

export const errBadPatchFormatForPrimitiveList = (): StrategicMergeError =>
  new StrategicMergeError('invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = (): StrategicMergeError =>
  new StrategicMergeError('invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = (): StrategicMergeError =>
  new StrategicMergeError('invalid patch format of setElementOrder list');
export const errNoListOfLists = (): StrategicMergeError => new StrategicMergeError('lists of lists are not supported', 422);

export const errNoMergeKey = (item: unknown, key: string): StrategicMergeError =>
  new StrategicMergeError(`map: ${goFormat(item)} does not contain declared merge key: ${key}`);
export const errBadPatchType = (directive: unknown, item: unknown): StrategicMergeError =>
  new StrategicMergeError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(item)}`);
export const errBadArgType = (expected: string, actual: unknown): StrategicMergeError =>
  new StrategicMergeError(`expected a ${expected}, but received a ${goTypeName(actual)}`);
