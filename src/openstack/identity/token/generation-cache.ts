/**
 * A memo of values derived from identity state, dropped whole whenever that state changes
 * (the repository's generation moves on any write). Validation is read-mostly, so a
 * write invalidating everything costs little and leaves no stale entry to reason about.
 */
export class GenerationCache<V> {
  private readonly entries = new Map<string, V>();
  private generation = -1;

  constructor(
    private readonly currentGeneration: () => number,
    private readonly maxEntries = 50_000,
  ) {}

  get(key: string): V | undefined {
    this.sync();
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.sync();
    if (this.entries.size >= this.maxEntries) {
      // Oldest first: Map iterates in insertion order.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  getOrCompute(key: string, compute: () => V): V {
    const found = this.get(key);
    if (found !== undefined) return found;
    const value = compute();
    this.set(key, value);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  private sync(): void {
    const g = this.currentGeneration();
    if (g !== this.generation) {
      this.entries.clear();
      this.generation = g;
    }
  }
}
