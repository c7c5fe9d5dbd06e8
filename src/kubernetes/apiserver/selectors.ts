/**
 * The seam to label and field selectors. Parsing and matching belong to
 * `src/kubernetes/apimachinery` (exported from its index.ts when ready); until it is wired
 * here, a request that carries a non-empty selector is answered 400 rather than silently
 * ignored, because an ignored selector would make `kubectl delete -l` destroy too much.
 */
import { badRequest } from './status.js';

/** Decides whether an object with these labels and selectable fields is wanted. */
export type ObjectFilter = (labels: Record<string, string>, fields: Record<string, string>) => boolean;

export const matchEverything: ObjectFilter = () => true;

export function compileFilter(labelSelector: string | undefined, fieldSelector: string | undefined): ObjectFilter {
  const labels = (labelSelector ?? '').trim();
  const fields = (fieldSelector ?? '').trim();
  if (!labels && !fields) return matchEverything;
  throw badRequest('label and field selectors are not supported by this server yet');
}
