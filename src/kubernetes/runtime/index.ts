export type { ContainerRuntime, ContainerSession, LogOptions, RuntimeResolver, SessionExit, StreamOptions, TerminalSize } from './types.js';
export { noRuntime, unavailableRuntime } from './unavailable.js';
