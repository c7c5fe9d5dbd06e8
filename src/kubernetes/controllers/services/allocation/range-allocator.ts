/**
 * Allocation of values from a contiguous range (IP offsets, node ports), as upstream's
 * bitmap allocators do it: a value is taken when a stored object holds it or a write in
 * flight has reserved it. Dynamic picks start in the upper part of the range and walk
 * upwards, leaving the lower band for values users ask for (upstream's static subrange,
 * KEP-3070), and are deterministic, so a run replays.
 */

export interface RangeAllocatorOptions {
  /** Lowest value handed out. */
  min: number;
  /** Highest value handed out. */
  max: number;
  /** Where dynamic allocation starts (the end of the static band). */
  dynamicStart: number;
  /** How long a reservation not yet seen stored holds its value (ms). */
  reservationTtlMs: number;
}

interface Reservation {
  owner: string;
  at: number;
}

export class RangeAllocator {
  /** Values stored objects hold, with the key of the holder. */
  private readonly held = new Map<number, string>();
  private readonly reserved = new Map<number, Reservation>();
  private cursor: number;

  constructor(private readonly opts: RangeAllocatorOptions) {
    this.cursor = opts.dynamicStart;
  }

  inRange(value: number): boolean {
    return Number.isInteger(value) && value >= this.opts.min && value <= this.opts.max;
  }

  /** Who holds or has reserved a value, if anyone (stale reservations forgotten). */
  ownerOf(value: number, now: number): string | undefined {
    const held = this.held.get(value);
    if (held !== undefined) return held;
    const r = this.reserved.get(value);
    if (!r) return undefined;
    if (now - r.at > this.opts.reservationTtlMs) {
      // The write it was for never landed (refused later, or lost): free it again.
      this.reserved.delete(value);
      return undefined;
    }
    return r.owner;
  }

  /** Reserve a value for owner; false when someone else has it. */
  reserve(value: number, owner: string, now: number): boolean {
    const current = this.ownerOf(value, now);
    if (current !== undefined && current !== owner) return false;
    if (!this.held.has(value)) this.reserved.set(value, { owner, at: now });
    return true;
  }

  /** The next free value after the last one handed out, reserved for owner; undefined when full. */
  allocate(owner: string, now: number, dryRun = false): number | undefined {
    const { min, max } = this.opts;
    const span = max - min + 1;
    for (let i = 0; i < span; i++) {
      const value = min + ((this.cursor - min + i) % span);
      if (this.ownerOf(value, now) !== undefined) continue;
      if (!dryRun) {
        this.reserved.set(value, { owner, at: now });
        this.cursor = value === max ? this.opts.dynamicStart : value + 1;
      }
      return value;
    }
    return undefined;
  }

  /** A stored object holds the value now (its reservation, if any, is fulfilled). */
  hold(value: number, owner: string): void {
    this.held.set(value, owner);
    this.reserved.delete(value);
  }

  /** A stored object stopped holding the value. */
  release(value: number, owner: string): void {
    if (this.held.get(value) === owner) this.held.delete(value);
  }

  /** Drop owner's reservations (its write was refused). */
  cancel(value: number, owner: string): void {
    if (this.reserved.get(value)?.owner === owner) this.reserved.delete(value);
  }

  /** Values held by stored objects. */
  heldCount(): number {
    return this.held.size;
  }
}
