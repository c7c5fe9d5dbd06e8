/**
 * IntOrString fields (maxSurge, maxUnavailable) resolved against a replica count the
 * way upstream's intstr.GetScaledValueFromIntOrPercent does: a percentage scales the
 * total and is rounded up or down as the caller says.
 */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value);
    if (m) {
      const scaled = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
    }
    const n = Number(value);
    if (Number.isInteger(n)) return n;
  }
  return 0;
}

/**
 * A rolling update's fence posts: surge rounds up, unavailable rounds down, and when
 * both come out 0 unavailable becomes 1 so that the rollout can make progress.
 */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
