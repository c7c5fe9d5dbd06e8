/**
 * Query filters several listings share. Keystone reads a boolean filter such as
 * `?enabled=` as true for any value but a false-like one.
 */
import { queryFlag } from '../wire.js';

/** The name/domain_id/enabled filters of users, projects and their sub-listings. */
export function matchesCommonFilters(
  x: { name: string; domain_id: string; enabled: boolean },
  q: Record<string, string>,
): boolean {
  const enabled = queryFlag(q.enabled);
  return (
    (q.name === undefined || x.name === q.name) &&
    (q.domain_id === undefined || x.domain_id === q.domain_id) &&
    (enabled === undefined || x.enabled === enabled)
  );
}
