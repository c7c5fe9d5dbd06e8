/**
 * Where a worker thread's code is. From dist/, each thread has an entry bundled beside the
 * CLI (scripts/bundle.mjs); from src/ (tests, benchmarks) the thread loads its TypeScript
 * entry through the repository's loader, scripts/ts-worker.mjs.
 */
export interface WorkerEntry {
  file: URL;
  /** Merge into the Worker's workerData: it tells the loader which source to run. */
  workerData: Record<string, unknown>;
}

/** `source` is the entry's .ts file; `bundled` its name in dist/ without `.mjs`. */
export function workerEntry(source: URL, bundled: string): WorkerEntry {
  const self = import.meta.url;
  if (self.endsWith('.ts')) return { file: new URL('../../scripts/ts-worker.mjs', self), workerData: { entry: source.href } };
  return { file: new URL(`./${bundled}.mjs`, self), workerData: {} };
}
