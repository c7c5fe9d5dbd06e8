/**
 * What the API server's thread and its controllers' thread say to each other, besides the
 * store's own messages (core/store/remote-store.ts), which share the same port.
 */

/** Given to the controllers' thread when it starts. */
export interface ControllerThreadData {
  /** The cluster's name (its key prefix). */
  cluster: string;
  /** The cluster CA certificate (PEM), published as `kube-root-ca.crt`. */
  caPem?: string;
  /** The API server's logger level; 'silent' logs nothing. */
  logLevel: string;
}

export type ToControllers =
  /** The port the API server listens on, for the `kubernetes` Service. */
  | { type: 'controllers.apiServerPort'; port: number }
  | { type: 'controllers.stop' };

export type FromControllers =
  /** Every informer has synced: the controllers are at work. */
  | { type: 'controllers.ready' }
  | { type: 'controllers.stopped' }
  | { type: 'controllers.failed'; message: string };

const prefix = 'controllers.';

/** Whether a message on the shared port is one of these (and not the store's). */
export function isControllersMessage(msg: unknown): msg is ToControllers | FromControllers {
  return typeof msg === 'object' && msg !== null && typeof (msg as { type?: unknown }).type === 'string' && (msg as { type: string }).type.startsWith(prefix);
}
