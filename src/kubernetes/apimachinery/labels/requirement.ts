/**
 * One requirement of a label selector (`app in (a,b)`, `!tier`, `env=prod`): construction
 * with the API server's validation messages, matching against a label map, and the
 * canonical string form the server prints.
 */
import { aggregateMessage, invalidFieldMessage, notSupportedFieldMessage } from './field-error.js';
import { labelKeyErrors, labelValueErrors } from './validation.js';

/** The operators of apimachinery's `selection` package, with their wire spellings. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
export const UNARY_OPERATORS: readonly Operator[] = ['exists', '!'];
const ALL_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, ...UNARY_OPERATORS];

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** As given: the parser hands them over sorted and deduplicated. */
  readonly values: readonly string[];
}

/** Thrown for a requirement the server would reject; the message is the server's. */
export class RequirementError extends Error {
  override readonly name = 'RequirementError';
}

const INT64 = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64), or undefined when Go would fail. */
function parseInt64(s: string): bigint | undefined {
  if (!INT64.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

export function labelKeyProblem(key: string, path: string): string | undefined {
  const errs = labelKeyErrors(key);
  return errs.length === 0 ? undefined : invalidFieldMessage(path, key, errs.join('; '));
}

export interface RequirementPaths {
  /** The field path the server prefixes to key problems (`key` when built without a path). */
  readonly key: string;
  /** Prefix for value problems; `values` without a path. */
  readonly values: string;
  /** What values rendering uses for a nil slice vs an empty one. */
  readonly valuesWereNil?: boolean;
}

const defaultPaths: RequirementPaths = { key: 'key', values: 'values' };

/**
 * labels.NewRequirement: validates and builds. Every problem is reported, aggregated the
 * way the server joins them.
 */
export function newRequirement(
  key: string,
  operator: string,
  values: readonly string[],
  paths: RequirementPaths = defaultPaths,
): Requirement {
  const problems: string[] = [];
  const keyProblem = labelKeyProblem(key, paths.key);
  if (keyProblem) problems.push(keyProblem);
  const shownValues = paths.valuesWereNil && values.length === 0 ? null : values;
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        problems.push(invalidFieldMessage(paths.values, shownValues, "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        problems.push(invalidFieldMessage(paths.values, shownValues, 'exact-match compatibility requires one single value'));
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        problems.push(invalidFieldMessage(paths.values, shownValues, 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        problems.push(invalidFieldMessage(paths.values, shownValues, "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          problems.push(invalidFieldMessage(`${paths.values}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      problems.push(notSupportedFieldMessage(operatorPath(paths), operator, ALL_OPERATORS));
  }
  values.forEach((v, i) => {
    const errs = labelValueErrors(v);
    if (errs.length > 0) problems.push(invalidFieldMessage(`${paths.values}[${i}][${key}]`, v, errs.join('; ')));
  });
  if (problems.length > 0) throw new RequirementError(aggregateMessage(problems));
  return { key, operator: operator as Operator, values: [...values] };
}

/** The operator's path sits beside the key's: `key` → `operator`, `x.key` → `x.operator`. */
function operatorPath(paths: RequirementPaths): string {
  return paths.key.endsWith('key') ? `${paths.key.slice(0, -'key'.length)}operator` : 'operator';
}

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && r.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (value === undefined || r.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(r.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const operatorText: Record<Operator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

/** The server's rendering: `!k`, `k`, `k=v`, `k in (a,b)` with values sorted. */
export function requirementToString(r: Requirement): string {
  const prefix = r.operator === '!' ? '!' : '';
  if (r.operator === 'exists' || r.operator === '!') return `${prefix}${r.key}`;
  const values = r.values.length === 1 ? (r.values[0] ?? '') : [...r.values].sort().join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${operatorText[r.operator]}${set ? `(${values})` : values}`;
}
