/**
 * What the API server needs from whatever runs a pod's containers (the kubelet and its
 * container runtime in a real cluster): logs, exec, attach and port-forward. The API
 * server only frames these streams for clients; everything about running containers is
 * behind this interface.
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import type { KubeObject } from '../apiserver/object.js';

/** pods/log query parameters, already parsed. */
export interface LogOptions {
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps: boolean;
  previous: boolean;
  limitBytes?: number;
}

/** Which of the standard streams the client wants wired. */
export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A terminal size, as clients send it on the resize channel. */
export interface TerminalSize {
  width: number;
  height: number;
}

/** How an exec or attach ended: an exit code, or a failure the runtime describes. */
export type SessionExit = { exitCode: number } | { error: string };

/**
 * A running exec or attach. Streams the client did not ask for are absent; stdout and
 * stderr end when the process does, and `exit` settles after them.
 */
export interface ContainerSession {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  resize(size: TerminalSize): void;
  exit: Promise<SessionExit>;
  /** The client went away: stop the process (exec) or detach (attach). */
  close(): void;
}

export interface ContainerRuntime {
  /** A container's log; ends at the current end unless `follow`, then when `signal` aborts. */
  logs(pod: KubeObject, container: string, opts: LogOptions, signal: AbortSignal): AsyncIterable<Buffer>;
  exec(pod: KubeObject, container: string, command: readonly string[], opts: StreamOptions): Promise<ContainerSession>;
  attach(pod: KubeObject, container: string, opts: StreamOptions): Promise<ContainerSession>;
  /** A byte stream to `port` inside the pod's network namespace. */
  portForward(pod: KubeObject, port: number): Promise<Duplex>;
}

/** How the API server finds the runtime that runs a pod (per node in a real cluster). */
export type RuntimeResolver = (pod: KubeObject) => ContainerRuntime;
