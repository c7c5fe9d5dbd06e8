// Runs a worker thread's TypeScript entry from src/ (tests and benchmarks run kos from
// its sources): registers the TypeScript loader in this thread, then loads the entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
