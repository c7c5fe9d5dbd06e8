/**
 * Slow-start batching (upstream's slowStartBatch): run `count` calls in batches of 1, 2,
 * 4, … so that a failing create (quota, a webhook) fails once instead of `count` times,
 * while a healthy burst still finishes in log2(count) round trips.
 */
export interface BatchResult {
  successes: number;
  /** Calls made (successes, failures of the last batch); the rest were never tried. */
  attempted: number;
  /** The first error of the batch that stopped the run, if any. */
  error?: unknown;
}

export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<BatchResult> {
  let remaining = count;
  let successes = 0;
  let attempted = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    attempted += batch;
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, attempted, error: failed.reason };
    remaining -= batch;
  }
  return { successes, attempted };
}
