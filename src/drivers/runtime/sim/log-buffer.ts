/**
 * A container's log: entries with the clock time they were written, capped in size (the
 * oldest go first, as a rotated log would), with subscribers for `logs -f` and attach.
 */
import type { ContainerLog, LogEntry } from '../types.js';

const maxBytes = 1 << 20;

export class LogBuffer implements ContainerLog {
  private readonly list: LogEntry[] = [];
  private bytes = 0;
  private readonly listeners = new Set<{ onEntry: (e: LogEntry) => void; onClosed: () => void }>();
  private isClosed = false;

  append(entry: LogEntry): void {
    if (this.isClosed || entry.data.length === 0) return;
    this.list.push(entry);
    this.bytes += entry.data.length;
    while (this.bytes > maxBytes && this.list.length > 1) this.bytes -= this.list.shift()!.data.length;
    for (const l of [...this.listeners]) l.onEntry(entry);
  }

  /** The writer is gone (the process exited): followers stop. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const l of [...this.listeners]) l.onClosed();
    this.listeners.clear();
  }

  entries(): readonly LogEntry[] {
    return this.list;
  }

  closed(): boolean {
    return this.isClosed;
  }

  subscribe(onEntry: (entry: LogEntry) => void, onClosed: () => void): () => void {
    if (this.isClosed) {
      onClosed();
      return () => undefined;
    }
    const l = { onEntry, onClosed };
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }
}
