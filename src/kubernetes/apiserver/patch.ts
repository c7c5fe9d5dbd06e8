/**
 * The seam to PATCH. The patch algorithms belong to `src/kubernetes/apimachinery`
 * (exported from its index.ts when ready); this file only maps a Content-Type to one of
 * them. Types not wired yet, and server-side apply (a later piece), answer 415 with a
 * Status that says so.
 */
import { failure, unsupportedMediaType } from './status.js';

export const patchContentTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

/** What a strategic merge patch needs to know about the kind it patches. */
export interface PatchTarget {
  apiVersion: string;
  kind: string;
}

/** The patched document, a fresh value; `current` is never mutated. */
export function applyPatch(contentType: string, _current: unknown, _patch: Uint8Array, _target: PatchTarget): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/apply-patch+yaml') {
    throw failure(415, 'UnsupportedMediaType', 'server-side apply (application/apply-patch+yaml) is not supported by this server yet');
  }
  throw unsupportedMediaType(type, [...patchContentTypes]);
}
