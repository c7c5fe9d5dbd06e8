/**
 * The container runtime driver: what a node agent (the kubelet) asks of whatever runs
 * containers — the simulated runtime here, a real process runtime later. Shaped after the
 * CRI: a pod sandbox holds the network identity; containers are created in it, started,
 * stopped and removed; their status, log, exec and resource usage are read back.
 * Nothing here knows about Kubernetes objects: the kubelet translates a pod into these
 * requests.
 */
import type { Duplex, Readable, Writable } from 'node:stream';

export interface SandboxConfig {
  /** The pod's uid: stable across kubelet restarts, so sandboxes can be found again. */
  podUid: string;
  namespace: string;
  name: string;
  hostname: string;
  ip: string;
  /** Steering and metadata the runtime may interpret (the sim reads `sim.kos.dev/*`). */
  annotations: Readonly<Record<string, string>>;
}

/** Files a mount shows, read when the runtime needs them (so updates show through). */
export interface MountSource {
  files(): ReadonlyMap<string, Uint8Array>;
  /** emptyDir-like mounts the container may write into. */
  writable: boolean;
}

export interface Mount {
  containerPath: string;
  source: MountSource;
}

export interface ContainerConfig {
  name: string;
  image: string;
  /** The image's entrypoint is assumed when both command and args are empty. */
  command: readonly string[];
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  mounts: readonly Mount[];
  workingDir?: string;
  /** Requests in cores and bytes: the sim derives usage from them. */
  requests: { cpu?: number; memory?: number };
  stdin: boolean;
  tty: boolean;
  /** An init container: run to completion before the others (steering skips it). */
  init: boolean;
}

export type ContainerState =
  | { state: 'created'; createdAt: number }
  | { state: 'running'; startedAt: number }
  | { state: 'exited'; startedAt: number; finishedAt: number; exitCode: number; reason: string; message?: string };

export interface ContainerStatus {
  id: string;
  name: string;
  image: string;
  imageRef: string;
  state: ContainerState;
}

export interface LogEntry {
  /** Clock time the line was written. */
  at: number;
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** A container's log so far, and a way to wait for more. */
export interface ContainerLog {
  entries(): readonly LogEntry[];
  /** Called for each new entry; `closed` when the writer is gone. Returns an unsubscribe. */
  subscribe(onEntry: (entry: LogEntry) => void, onClosed: () => void): () => void;
  closed(): boolean;
}

export interface ProcessIO {
  stdin?: Readable;
  stdout: Writable;
  stderr: Writable;
  tty: boolean;
}

/** Usage of one container: CPU in cores, memory in bytes. */
export interface ContainerUsage {
  cpu: number;
  memory: number;
}

export interface RuntimeDriver {
  /** Create (or find, by podUid) the pod's sandbox; returns its id. */
  runPodSandbox(config: SandboxConfig): Promise<string>;
  /** Stop every container and tear the sandbox down; unknown ids are ignored. */
  removePodSandbox(sandboxId: string): Promise<void>;
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Ask the main process to stop, killing it after graceSeconds. */
  stopContainer(containerId: string, graceSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): ContainerStatus | undefined;
  /** The container's log; absent for unknown ids. */
  containerLog(containerId: string): ContainerLog | undefined;
  /** Run a command inside a running container; resolves with its exit code. */
  exec(containerId: string, command: readonly string[], io: ProcessIO, signal: AbortSignal): Promise<number>;
  /** A byte stream to a port in the sandbox's network namespace. */
  portForward(sandboxId: string, port: number): Duplex;
  usage(containerId: string): ContainerUsage | undefined;
  /** Called with the sandbox id whenever something in it changes on its own (an exit, say). */
  onChange(listener: (sandboxId: string) => void): void;
}

/** An error the runtime reports the way an OCI runtime would (exec of a missing binary). */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}
