/**
 * One timer per live lease on the injected clock. The store keeps expiry times in its
 * leases table (the truth, surviving restarts); these timers only say when to look.
 */
import type { Clock, TimerHandle } from '../clock.js';

export class LeaseTimers {
  private readonly timers = new Map<number, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (leaseId: number) => void,
  ) {}

  /** (Re)arm the timer of a lease to fire at `expiresAt` (clock milliseconds). */
  schedule(leaseId: number, expiresAt: number): void {
    this.cancel(leaseId);
    const handle = this.clock.setTimer(expiresAt - this.clock.now(), () => {
      this.timers.delete(leaseId);
      this.onDue(leaseId);
    });
    this.timers.set(leaseId, handle);
  }

  cancel(leaseId: number): void {
    this.timers.get(leaseId)?.cancel();
    this.timers.delete(leaseId);
  }

  cancelAll(): void {
    for (const handle of this.timers.values()) handle.cancel();
    this.timers.clear();
  }
}
