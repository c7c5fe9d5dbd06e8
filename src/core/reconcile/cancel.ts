/**
 * Waits that stop() can cut short. Background loops (informer relist back-off, leader
 * renewals, controllers waiting for caches) wait through these so that shutting down
 * never hangs on a timer or on a cache that will not sync.
 */
import type { Clock } from '../clock.js';

/** Resolves after ms on the clock, or as soon as the signal aborts; never rejects. */
export function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      timer.cancel();
      resolve();
    };
    const timer = clock.setTimer(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Wait for work to finish or the signal to abort, whichever comes first: the work's
 * value, or undefined if the abort came first. Rejects if the work fails first. Work
 * abandoned this way still runs to its end; only the wait is cut short.
 */
export async function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<{ value: T } | undefined> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return undefined;
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
