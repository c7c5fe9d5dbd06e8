/**
 * Address allocation inside one subnet: the allocation pools as a sorted list of free
 * ranges. Taking the next address is O(1); taking or returning a given address is a
 * binary search plus a split or merge. Nothing scans the allocated addresses, so the
 * ten-thousandth port of a subnet costs what the first one did.
 */
export interface Range {
  first: bigint;
  last: bigint;
}

export class FreeRanges {
  private ranges: Range[];

  constructor(pools: readonly Range[]) {
    this.ranges = [...pools].sort((a, b) => (a.first < b.first ? -1 : 1)).map((r) => ({ ...r }));
  }

  /** Free addresses left (bigint: an IPv6 pool is huge). */
  get free(): bigint {
    let n = 0n;
    for (const r of this.ranges) n += r.last - r.first + 1n;
    return n;
  }

  /** The lowest free address, taken; undefined when the pools are exhausted. */
  takeNext(): bigint | undefined {
    const r = this.ranges[0];
    if (!r) return undefined;
    const v = r.first;
    if (r.first === r.last) this.ranges.shift();
    else r.first++;
    return v;
  }

  private find(v: bigint): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid]!;
      if (v < r.first) hi = mid - 1;
      else if (v > r.last) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  isFree(v: bigint): boolean {
    return this.find(v) >= 0;
  }

  /** Take a given address; false when it is not free (allocated, or outside the pools). */
  take(v: bigint): boolean {
    const i = this.find(v);
    if (i < 0) return false;
    const r = this.ranges[i]!;
    if (r.first === r.last) this.ranges.splice(i, 1);
    else if (v === r.first) r.first++;
    else if (v === r.last) r.last--;
    else this.ranges.splice(i, 1, { first: r.first, last: v - 1n }, { first: v + 1n, last: r.last });
    return true;
  }

  /** Return an address to the pools; `inPools` says whether it belongs to them at all. */
  release(v: bigint, inPools: (v: bigint) => boolean): void {
    if (!inPools(v) || this.isFree(v)) return;
    // Insert position: first range starting after v.
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]!.first < v) lo = mid + 1;
      else hi = mid;
    }
    const prev = this.ranges[lo - 1];
    const next = this.ranges[lo];
    const joinPrev = prev !== undefined && prev.last + 1n === v;
    const joinNext = next !== undefined && next.first - 1n === v;
    if (joinPrev && joinNext) {
      prev.last = next.last;
      this.ranges.splice(lo, 1);
    } else if (joinPrev) prev.last = v;
    else if (joinNext) next.first = v;
    else this.ranges.splice(lo, 0, { first: v, last: v });
  }
}
