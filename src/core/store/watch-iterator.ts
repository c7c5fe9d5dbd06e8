import type { WatchEvent } from './types.js';

/**
 * A Watch's iterator: batches from `next`; leaving a for-await early (`return`) closes the
 * watch, so a consumer that breaks out does not leave it buffering.
 */
export function watchIterator(next: () => Promise<IteratorResult<WatchEvent[]>>, close: () => void): AsyncIterator<WatchEvent[]> {
  return {
    next,
    return: () => {
      close();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}
