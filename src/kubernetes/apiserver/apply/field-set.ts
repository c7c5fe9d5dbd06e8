/**
 * Field sets in the notation of managedFields (`fieldsV1`): a path is a list of elements
 * `f:<field>`, `k:{"name":"web"}` (a map-list item by its keys), `v:<json>` (a set
 * item), and a set is written as a tree whose member nodes that also have children carry
 * `.: {}`. Members are the leaves of an object plus its list items, as in
 * structured-merge-diff.
 */
import { isObject, type JsonObject } from '../object.js';
import type { Shape } from './shape.js';

export type FieldPath = readonly string[];
/** A set of paths, keyed by their joined form. */
export type FieldSet = Map<string, FieldPath>;
export type FieldsV1 = { [element: string]: FieldsV1 };

const joinPath = (p: FieldPath): string => p.join('\u0000');

export const emptyFieldSet = (): FieldSet => new Map();

export function addPath(set: FieldSet, p: FieldPath): void {
  set.set(joinPath(p), p);
}

export const hasPath = (set: FieldSet, p: FieldPath): boolean => set.has(joinPath(p));

export function union(a: FieldSet, b: FieldSet): FieldSet {
  return new Map([...a, ...b]);
}

export function difference(a: FieldSet, b: FieldSet): FieldSet {
  return new Map([...a].filter(([k]) => !b.has(k)));
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  return new Map([...a].filter(([k]) => b.has(k)));
}

/** JSON with sorted keys: the form of `k:` and `v:` elements. */
function sortedJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(sortedJson).join(',')}]`;
  if (isObject(x)) return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(x[k])}`).join(',')}}`;
  return JSON.stringify(x);
}

/** The element naming a list item, or undefined when the list is atomic or the item lacks its keys. */
export function itemElement(shape: Shape, item: unknown): string | undefined {
  const list = shape.list;
  if (list.type === 'set') return `v:${sortedJson(item)}`;
  if (list.type !== 'map' || !isObject(item)) return undefined;
  const keyed: JsonObject = {};
  for (const k of list.keys) if (item[k] !== undefined) keyed[k] = item[k];
  return Object.keys(keyed).length > 0 ? `k:${sortedJson(keyed)}` : undefined;
}

/** The members of `value`: its leaves and its list items; `skip` prunes paths (system fields). */
export function fieldSetOf(value: unknown, shape: Shape, skip: (p: FieldPath) => boolean = () => false): FieldSet {
  const out = emptyFieldSet();
  const walk = (v: unknown, s: Shape, p: string[]): void => {
    if (skip(p)) return;
    if (isObject(v)) {
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (keys.length === 0 && p.length > 0) addPath(out, p);
      for (const k of keys) walk(v[k], s.field(k), [...p, `f:${k}`]);
      return;
    }
    if (Array.isArray(v) && s.list.type !== 'atomic' && v.length > 0) {
      const item = s.item();
      for (const it of v) {
        const el = itemElement(s, it);
        if (el === undefined) continue;
        addPath(out, [...p, el]);
        if (s.list.type === 'map') walk(it, item, [...p, el]);
      }
      return;
    }
    if (p.length > 0) addPath(out, p);
  };
  walk(value, shape, []);
  return out;
}

/** The value at `p`, or undefined when it is absent. */
export function valueAt(root: unknown, p: FieldPath, shape: Shape): unknown {
  let v: unknown = root;
  let s = shape;
  for (const el of p) {
    if (el.startsWith('f:')) {
      const name = el.slice(2);
      v = isObject(v) ? v[name] : undefined;
      s = s.field(name);
    } else {
      const listShape = s;
      v = Array.isArray(v) ? v.find((it) => itemElement(listShape, it) === el) : undefined;
      s = s.item();
    }
    if (v === undefined) return undefined;
  }
  return v;
}

/** Remove the value at `p` from `root` in place (a field, or a list item). */
export function removePath(root: unknown, p: FieldPath, shape: Shape): void {
  if (p.length === 0) return;
  const parentPath = p.slice(0, -1);
  const parent = valueAt(root, parentPath, shape);
  const last = p[p.length - 1]!;
  if (last.startsWith('f:')) {
    if (isObject(parent)) delete parent[last.slice(2)];
    return;
  }
  if (!Array.isArray(parent)) return;
  let s = shape;
  for (const el of parentPath) s = el.startsWith('f:') ? s.field(el.slice(2)) : s.item();
  const idx = parent.findIndex((it) => itemElement(s, it) === last);
  if (idx >= 0) parent.splice(idx, 1);
}

/** The fieldsV1 tree of a set. */
export function toFieldsV1(set: FieldSet): FieldsV1 {
  const root: FieldsV1 = {};
  const members = new Set<FieldsV1>();
  for (const p of set.values()) {
    let node = root;
    for (const el of p) node = node[el] ??= {};
    members.add(node);
  }
  const mark = (node: FieldsV1): void => {
    for (const [el, child] of Object.entries(node)) {
      if (el === '.') continue;
      if (members.has(child) && Object.keys(child).length > 0) child['.'] = {};
      mark(child);
    }
  };
  mark(root);
  return sortTree(root);
}

function sortTree(node: FieldsV1): FieldsV1 {
  const out: FieldsV1 = {};
  for (const k of Object.keys(node).sort()) out[k] = sortTree(node[k]!);
  return out;
}

/** The set a fieldsV1 tree describes. */
export function fromFieldsV1(tree: unknown): FieldSet {
  const out = emptyFieldSet();
  const walk = (node: unknown, p: string[]): void => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (p.length > 0 && (keys.length === 0 || keys.includes('.'))) addPath(out, p);
    for (const k of keys) if (k !== '.') walk(node[k], [...p, k]);
  };
  walk(tree, []);
  return out;
}

/** A path as the real server prints it in conflict messages: `.spec.replicas`, `.spec.containers[name="web"].image`. */
export function describePath(p: FieldPath): string {
  return p
    .map((el) => {
      if (el.startsWith('f:')) return `.${el.slice(2)}`;
      if (el.startsWith('v:')) return `[${el.slice(2)}]`;
      const keyed = JSON.parse(el.slice(2)) as JsonObject;
      return `[${Object.entries(keyed).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    })
    .join('');
}
