/**
 * Periodic compaction, as kube-apiserver asks of etcd: every interval, forget history older
 * than the revision seen one interval ago. A watcher that far behind relists (it gets
 * Compacted), and the revision table stays the size of the live data plus one interval.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from './types.js';

export interface Compactor {
  stop(): void;
}

export function startCompactor(opts: { store: Store; clock: Clock; log: Logger; intervalMs?: number }): Compactor {
  const intervalMs = opts.intervalMs ?? 5 * 60_000;
  let previous = 0;
  let timer: TimerHandle | undefined;
  let stopped = false;

  const tick = async () => {
    const current = await opts.store.currentRevision();
    if (previous > (await opts.store.compactedRevision())) await opts.store.compact(previous);
    previous = current;
  };
  const schedule = () => {
    timer = opts.clock.setTimer(intervalMs, () => {
      tick()
        .catch((err: unknown) => opts.log.warn({ err }, 'store compaction failed'))
        .finally(() => {
          if (!stopped) schedule();
        });
    });
  };
  schedule();
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
