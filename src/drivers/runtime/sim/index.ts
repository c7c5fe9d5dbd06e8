/** The simulated container runtime driver (see README.md for stages and steering). */
export { SimRuntime, normalizeImage } from './sim-runtime.js';
export type { SimRuntimeOptions } from './sim-runtime.js';
export { instantStages, seededRandom, stageDuration } from './stages.js';
export type { SimStages, Stage } from './stages.js';
export * from './steering.js';
export { ContainerFilesystem, normalizePath } from './filesystem.js';
export { runCommand, runScript, isKnownCommand, formatDate, sleepMs } from './shell/run.js';
export type { ShellContext } from './shell/run.js';
export { piDigits } from './shell/pi.js';
export { httpBody } from './port-responder.js';
