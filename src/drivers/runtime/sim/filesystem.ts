/**
 * A container's filesystem in the sim: a few files every image has, the mounts laid over
 * them (read when looked at, so a changed ConfigMap shows through), and files written by
 * exec into writable mounts.
 */
import type { Mount } from '../types.js';

export type Entry = { kind: 'file'; data: Uint8Array } | { kind: 'dir'; names: string[] };

/** `/a/b/../c` → `/a/c`, relative paths resolved against cwd. */
export function normalizePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const p of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

export class ContainerFilesystem {
  private readonly written = new Map<string, Uint8Array>();

  constructor(
    private readonly base: ReadonlyMap<string, Uint8Array>,
    private readonly mounts: readonly Mount[],
  ) {}

  /** Every file path and its contents at this moment. */
  private files(): Map<string, Uint8Array> {
    const all = new Map(this.base);
    for (const m of this.mounts) {
      const root = normalizePath(m.containerPath);
      // A mount hides what the image had under its path.
      for (const k of [...all.keys()]) if (k === root || k.startsWith(`${root}/`)) all.delete(k);
      for (const [rel, data] of m.source.files()) all.set(normalizePath(rel, root), data);
    }
    for (const [k, v] of this.written) all.set(k, v);
    return all;
  }

  private mountRoots(): string[] {
    return this.mounts.map((m) => normalizePath(m.containerPath));
  }

  lookup(path: string): Entry | undefined {
    const p = normalizePath(path);
    const files = this.files();
    const data = files.get(p);
    if (data) return { kind: 'file', data };
    const prefix = p === '/' ? '/' : `${p}/`;
    const names = new Set<string>();
    let exists = p === '/';
    for (const k of [...files.keys(), ...this.mountRoots()]) {
      if (k.startsWith(prefix) && k.length > prefix.length) names.add(k.slice(prefix.length).split('/')[0]!);
      // An empty mount is still a directory.
      else if (k === p) exists = true;
    }
    if (names.size === 0 && !exists) return undefined;
    return { kind: 'dir', names: [...names].sort() };
  }

  /** Write a file; only under a writable mount (or /tmp), as a read-only image would allow. */
  write(path: string, data: Uint8Array): boolean {
    const p = normalizePath(path);
    const writable = p.startsWith('/tmp/') || this.mounts.some((m) => m.source.writable && p.startsWith(`${normalizePath(m.containerPath)}/`));
    if (!writable) return false;
    this.written.set(p, data);
    return true;
  }
}
