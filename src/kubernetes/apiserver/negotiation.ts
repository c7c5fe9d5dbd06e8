/**
 * Content negotiation of responses. Everything is served as JSON; what varies is the
 * shape: a Table when the client asks for `as=Table` (kubectl get), the plain object
 * otherwise. Aggregated discovery (`as=APIGroupDiscoveryList`) is not served: when it is
 * the only thing a client accepts, the answer is 406 and the client falls back to the
 * legacy documents.
 */
import { notAcceptable } from './status.js';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [{ type: '*/*', params: {} }];
  return header
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const i = kv.indexOf('=');
        if (i > 0) p[kv.slice(0, i).trim().toLowerCase()] = kv.slice(i + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params: p };
    })
    .filter((r) => r.type !== '');
}

const jsonish = (type: string): boolean => type === 'application/json' || type === 'application/*' || type === '*/*';

export type ResponseShape = { as: 'object' } | { as: 'table'; version: 'v1' | 'v1beta1' };

/** The shape to answer with, in the client's order of preference; 406 when none is possible. */
export function negotiateShape(header: string | undefined, tableAllowed: boolean): ResponseShape {
  const ranges = parseAccept(header);
  for (const r of ranges) {
    if (!jsonish(r.type) && r.type !== 'application/yaml') continue;
    const as = r.params.as;
    if (as === undefined) return { as: 'object' };
    if (as === 'Table' && tableAllowed && r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1')) {
      return { as: 'table', version: r.params.v };
    }
  }
  throw notAcceptable(['application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io']);
}

/** Discovery documents: only the legacy shapes; anything else listed first is skipped. */
export function negotiateDiscovery(header: string | undefined): void {
  for (const r of parseAccept(header)) if (jsonish(r.type) && r.params.as === undefined) return;
  throw notAcceptable(['application/json']);
}
