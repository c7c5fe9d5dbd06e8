/**
 * A field selector checked against a kind: parse the query parameter, resolve aliases,
 * reject unsupported fields with the server's 400, then match objects.
 */
import type { GroupVersionKind } from '../gvk.js';
import { convertFieldTerms, fieldLabelPolicyFor } from './supported.js';
import { parseFieldTerms, escapeFieldValue } from './parser.js';
import type { FieldTerm } from './parser.js';
import { selectableFields } from './selectable.js';
import type { FieldSet } from './selectable.js';

export class FieldSelector {
  private constructor(
    readonly terms: readonly FieldTerm[],
    private readonly gvk: GroupVersionKind | undefined,
    private readonly selectableFieldLabels: readonly string[],
  ) {}

  static everything(): FieldSelector {
    return new FieldSelector([], undefined, []);
  }

  /** Terms used as given, without a kind's table (for internal callers that build their own). */
  static ofTerms(terms: readonly FieldTerm[]): FieldSelector {
    return new FieldSelector(terms, undefined, []);
  }

  /** Parses and checks a `fieldSelector` for a kind; throws KosError BadRequest as the server does. */
  static parse(selector: string, gvk: GroupVersionKind, crdSelectableFields: readonly string[] = []): FieldSelector {
    const terms = convertFieldTerms(parseFieldTerms(selector), fieldLabelPolicyFor(gvk, crdSelectableFields));
    return new FieldSelector(terms, gvk, crdSelectableFields);
  }

  isEmpty(): boolean {
    return this.terms.length === 0;
  }

  /** Matches a field set: absent fields read as "". */
  matchesFields(fields: FieldSet): boolean {
    return this.terms.every((t) => {
      const actual = Object.hasOwn(fields, t.field) ? fields[t.field] : '';
      return t.operator === '=' ? actual === t.value : actual !== t.value;
    });
  }

  /** Matches an object of the kind this selector was parsed for. */
  matches(obj: unknown, gvk?: GroupVersionKind): boolean {
    if (this.isEmpty()) return true;
    const kind = gvk ?? this.gvk;
    const fields = kind ? selectableFields(kind, obj, this.selectableFieldLabels) : {};
    return this.matchesFields(fields);
  }

  /** The value a field must equal, when one term pins it with `=` (e.g. metadata.name, spec.nodeName). */
  requiresExactMatch(field: string): string | undefined {
    return this.terms.find((t) => t.field === field && t.operator === '=')?.value;
  }

  toString(): string {
    return this.terms.map((t) => `${t.field}${t.operator}${escapeFieldValue(t.value)}`).join(',');
  }
}
