/**
 * The JSONPath subset CRDs use in additionalPrinterColumns and the scale subresource:
 * `.a.b`, `.a[0]`, `.a['x.y']`, `.a[*].b` and `.a[?(@.type=="Ready")].status`, with or
 * without kubectl's `{…}` braces. Unsupported syntax finds nothing rather than failing.
 */
import { isObject } from '../object.js';

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; field: string; equals: string };

export function parseJsonPath(path: string): Step[] | undefined {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
  if (p.startsWith('$')) p = p.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < p.length) {
    if (p[i] === '.') {
      const m = /^\.([A-Za-z0-9_$-]+)/.exec(p.slice(i));
      if (!m) return undefined;
      steps.push({ kind: 'field', name: m[1]! });
      i += m[0].length;
    } else if (p[i] === '[') {
      const rest = p.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ kind: 'index', index: Number(m[1]) });
      else if ((m = /^\[\*\]/.exec(rest))) steps.push({ kind: 'all' });
      else if ((m = /^\[['"]([^'"]*)['"]\]/.exec(rest))) steps.push({ kind: 'field', name: m[1]! });
      else if ((m = /^\[\?\(@\.([A-Za-z0-9_-]+)\s*==\s*["']([^"']*)["']\)\]/.exec(rest))) steps.push({ kind: 'filter', field: m[1]!, equals: m[2]! });
      else return undefined;
      i += m[0].length;
    } else return undefined;
  }
  return steps;
}

/** Every value the path reaches in `root`, in document order. */
export function evaluateJsonPath(root: unknown, path: string): unknown[] {
  const steps = parseJsonPath(path);
  if (!steps) return [];
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field' && isObject(v) && v[step.name] !== undefined) next.push(v[step.name]);
      else if (step.kind === 'index' && Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      else if (step.kind === 'all' && Array.isArray(v)) next.push(...v);
      else if (step.kind === 'filter' && Array.isArray(v)) {
        for (const item of v) if (isObject(item) && String(item[step.field]) === step.equals) next.push(item);
      }
    }
    current = next;
  }
  return current;
}

/** Set a value at a plain field path (`.spec.replicas`), creating objects on the way. */
export function setAtPath(root: Record<string, unknown>, path: string, value: unknown): boolean {
  const steps = parseJsonPath(path);
  if (!steps || steps.length === 0 || steps.some((s) => s.kind !== 'field')) return false;
  let obj = root;
  for (const [i, step] of steps.entries()) {
    const name = (step as { name: string }).name;
    if (i === steps.length - 1) {
      obj[name] = value;
      return true;
    }
    if (!isObject(obj[name])) obj[name] = {};
    obj = obj[name] as Record<string, unknown>;
  }
  return false;
}
