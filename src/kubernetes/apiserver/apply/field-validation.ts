/**
 * The `fieldValidation` directive of create, update and patch: unknown fields of the
 * written object are always dropped (a Go server decodes into structs, so they never reach
 * storage); `Strict` refuses the request instead (400 with the real strict decoding
 * message), `Warn` (the default) names each dropped field in a `Warning` header, `Ignore`
 * drops them silently. Built-in kinds are checked against their OpenAPI schemas, custom
 * resources against their structural schema (what pruning would remove).
 */
import type { ResourceCatalog } from '../catalog.js';
import { customResourceInfo } from '../crd/index.js';
import { isObject } from '../object.js';
import { strictDecodingMessage, UnknownFieldChecker } from '../openapi/unknown-fields.js';
import type { ResourceDefinition } from '../resource.js';
import { badRequest } from '../status.js';

export const fieldValidationDirectives = ['Ignore', 'Strict', 'Warn'] as const;
export type FieldValidation = (typeof fieldValidationDirectives)[number];

/** The directive of a request's query (`fieldValidation`), Warn when absent. */
export function parseFieldValidation(value: string | undefined): FieldValidation {
  if (value === undefined || value === '') return 'Warn';
  const found = fieldValidationDirectives.find((d) => d === value);
  if (!found) {
    throw badRequest(`fieldValidation: Unsupported value: "${value}": supported values: "Ignore", "Strict", "Warn"`);
  }
  return found;
}

/** A `Warning` header value (RFC 7234 warn-code 299, agent `-`), as the real server writes it. */
export function warningHeaderValue(text: string): string {
  return `299 - "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The texts of the Warning headers for dropped fields. */
export const unknownFieldWarnings = (paths: readonly string[]): string[] => paths.map((p) => `unknown field "${p}"`);

/** Split a path as the checker writes it (`spec.containers[0].foo`) into keys and indexes. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Remove the field at `path` from `obj` (in place); a path that no longer resolves is left alone. */
export function dropPath(obj: unknown, path: string): void {
  const segs = pathSegments(path);
  let cur: unknown = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i]!;
    if (typeof s === 'number') cur = Array.isArray(cur) ? cur[s] : undefined;
    else cur = isObject(cur) ? cur[s] : undefined;
    if (cur === undefined) return;
  }
  const last = segs[segs.length - 1];
  if (typeof last === 'string' && isObject(cur)) delete cur[last];
}

export interface FieldValidationResult {
  /** The Warning header texts to send (Warn only). */
  warnings: string[];
}

/** Unknown-field handling for the kinds of one catalog (the schemas are built once). */
export class FieldValidator {
  private readonly checker: UnknownFieldChecker;

  constructor(catalog: ResourceCatalog) {
    this.checker = new UnknownFieldChecker(catalog);
  }

  /** The unknown field paths of `body` as an object of `def`'s kind. */
  unknownFields(def: ResourceDefinition, body: unknown): string[] {
    if (!isObject(body)) return [];
    const custom = customResourceInfo(def);
    if (custom) return custom.unknownFields?.(body) ?? [];
    return this.checker.check(def, body);
  }

  /**
   * Apply the directive to `body` in place: Strict throws 400 naming every unknown field;
   * otherwise they are dropped and, for Warn, returned as warnings.
   */
  enforce(def: ResourceDefinition, body: unknown, directive: FieldValidation): FieldValidationResult {
    const paths = this.unknownFields(def, body);
    if (paths.length === 0) return { warnings: [] };
    if (directive === 'Strict') throw badRequest(strictDecodingMessage(def, paths));
    // Deepest first, so dropping one never shifts the path of another.
    for (const p of [...paths].reverse()) dropPath(body, p);
    return { warnings: directive === 'Warn' ? unknownFieldWarnings(paths) : [] };
  }
}

const validators = new WeakMap<ResourceCatalog, FieldValidator>();

/** The catalog's validator, made on first use. */
export function fieldValidatorFor(catalog: ResourceCatalog): FieldValidator {
  let v = validators.get(catalog);
  if (!v) {
    v = new FieldValidator(catalog);
    validators.set(catalog, v);
  }
  return v;
}
