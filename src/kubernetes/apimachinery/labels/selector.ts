/**
 * A label selector: the AND of its requirements. Built from the query-string form
 * (`parseLabelSelector`) or from the structured form objects carry (`labelSelectorFromObject`,
 * metav1.LabelSelector with matchLabels and matchExpressions). Errors are KosError
 * BadRequest with the server's message, as a list with a bad `labelSelector` gets.
 */
import { badRequest } from '../errors.js';
import { parseRequirements, SelectorParseError } from './parser.js';
import { newRequirement, requirementMatches, requirementToString, RequirementError } from './requirement.js';
import type { Labels, Requirement } from './requirement.js';

export class LabelSelector {
  private constructor(
    readonly requirements: readonly Requirement[],
    /** A nil structured selector selects nothing; an empty one selects everything. */
    private readonly selectsNothing: boolean,
  ) {}

  static everything(): LabelSelector {
    return new LabelSelector([], false);
  }

  static nothing(): LabelSelector {
    return new LabelSelector([], true);
  }

  static of(requirements: readonly Requirement[]): LabelSelector {
    const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return new LabelSelector(sorted, false);
  }

  /** True when the selector does not restrict anything. */
  isEmpty(): boolean {
    return !this.selectsNothing && this.requirements.length === 0;
  }

  matches(labels: Labels | undefined): boolean {
    if (this.selectsNothing) return false;
    const set = labels ?? {};
    // A loop, not every(): asked for each pod by every controller and the scheduler, and
    // the callback would be a closure allocated per call.
    const rs = this.requirements;
    for (let i = 0; i < rs.length; i++) if (!requirementMatches(rs[i]!, set)) return false;
    return true;
  }

  /** The canonical string form, as the server prints a selector. */
  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }

  /** The value a key must have for this selector to match, when one is pinned by `=`, `==` or a one-value `in`. */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((req) => req.key === key);
    if (!r || r.values.length !== 1) return undefined;
    return r.operator === '=' || r.operator === '==' || r.operator === 'in' ? r.values[0] : undefined;
  }
}

/** Parses the `labelSelector` query parameter; an empty string selects everything. */
export function parseLabelSelector(selector: string): LabelSelector {
  try {
    return LabelSelector.of(parseRequirements(selector));
  } catch (e) {
    if (e instanceof SelectorParseError || e instanceof RequirementError) throw badRequest(e.message);
    throw e;
  }
}

/** metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirementSpec {
  key: string;
  operator: string;
  values?: string[] | null;
}

/** metav1.LabelSelector as it appears in a Deployment's `spec.selector`. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementSpec[] | null;
}

const structuredOperators: Readonly<Record<string, Requirement['operator']>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: null or undefined selects nothing, `{}` selects everything,
 * matchLabels become `=` requirements and matchExpressions their set-based operators.
 */
export function labelSelectorFromObject(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  if (spec === null || spec === undefined) return LabelSelector.nothing();
  const matchLabels = Object.entries(spec.matchLabels ?? {});
  const matchExpressions = spec.matchExpressions ?? [];
  if (matchLabels.length + matchExpressions.length === 0) return LabelSelector.everything();
  try {
    const requirements: Requirement[] = matchLabels.map(([k, v]) => newRequirement(k, '=', [v]));
    for (const expr of matchExpressions) {
      const op = Object.hasOwn(structuredOperators, expr.operator) ? structuredOperators[expr.operator] : undefined;
      if (!op) throw new RequirementError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
      const values = expr.values ?? [];
      requirements.push(
        newRequirement(expr.key, op, values, { key: 'key', values: 'values', valuesWereNil: values.length === 0 }),
      );
    }
    return LabelSelector.of(requirements);
  } catch (e) {
    if (e instanceof RequirementError) throw badRequest(e.message);
    throw e;
  }
}

/** A selector that matches exactly the given labels (labels.SelectorFromSet); no validation. */
export function labelSelectorFromSet(set: Labels): LabelSelector {
  return LabelSelector.of(Object.entries(set).map(([key, value]) => ({ key, operator: '=', values: [value] })));
}
