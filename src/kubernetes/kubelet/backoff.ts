/**
 * CrashLoopBackOff timing, as the kubelet does it: the first restart is immediate, then
 * the wait before each restart doubles from 10 s to a 5 minute cap.
 */
export const initialBackoffMs = 10_000;
export const maxBackoffMs = 5 * 60_000;

/** How long after its last exit a container that has restarted `restarts` times waits. */
export function crashLoopDelayMs(restarts: number): number {
  if (restarts <= 0) return 0;
  return Math.min(maxBackoffMs, initialBackoffMs * 2 ** (restarts - 1));
}
