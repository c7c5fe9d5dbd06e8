/**
 * The simulated container runtime: sandboxes and containers held in memory, moving
 * through the stages (instant by default) on the injected clock. A container's main
 * process is steered by the pod's sim.kos.dev annotations, or interprets its command
 * with the sim shell (so `echo`, `sleep 5`, `sh -c "…"` behave), or — an image's own
 * entrypoint, or an executable the sim does not know — runs until stopped.
 */
import { createHash } from 'node:crypto';
import { PassThrough, type Duplex } from 'node:stream';
import type { Clock } from '../../../core/clock.js';
import {
  RuntimeError,
  type ContainerConfig,
  type ContainerLog,
  type ContainerState,
  type ContainerStatus,
  type ContainerUsage,
  type ProcessIO,
  type RuntimeDriver,
  type SandboxConfig,
} from '../types.js';
import { ContainerFilesystem } from './filesystem.js';
import { LogBuffer } from './log-buffer.js';
import { portResponder } from './port-responder.js';
import { isKnownCommand, runCommand, type ShellContext } from './shell/run.js';
import { instantStages, seededRandom, stageDuration, type SimStages, type Stage } from './stages.js';
import { cpuUsageAnnotation, memoryUsageAnnotation, steeringOf } from './steering.js';

export interface SimRuntimeOptions {
  clock: Clock;
  stages?: Partial<SimStages>;
  /** Seed of the jitter draws (default 1). */
  seed?: number;
  /** Usage = requests × loadFactor when no annotation says otherwise (default 0.5). */
  loadFactor?: number;
  /** Parses the usage annotations' quantities (the kubelet passes Kubernetes' parser). */
  parseQuantity?: (text: string) => number | undefined;
}

interface Sandbox {
  id: string;
  config: SandboxConfig;
  containers: Set<string>;
}

interface SimContainer {
  id: string;
  sandbox: Sandbox;
  config: ContainerConfig;
  state: ContainerState;
  log: LogBuffer;
  fs: ContainerFilesystem;
  /** Aborts the main process. */
  stop?: AbortController;
  /** What the process exits with when stopped before it ends on its own. */
  stopCode: number;
  image: string;
  /** The image's digest reference (a digest of its name: the sim pulls nothing). */
  imageRef: string;
}

/** Usage of a container without requests: small but not zero, as an idle process has. */
const idleUsage: ContainerUsage = { cpu: 0.001, memory: 4 * 2 ** 20 };

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `nginx` → `docker.io/library/nginx:latest`, as containerd reports image names. */
export function normalizeImage(image: string): string {
  let name = image;
  const lastSlash = name.lastIndexOf('/');
  if (!name.includes('@') && !name.slice(lastSlash + 1).includes(':')) name = `${name}:latest`;
  const first = name.split('/')[0]!;
  if (!name.includes('/')) return `docker.io/library/${name}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${name}`;
  return name;
}

export class SimRuntime implements RuntimeDriver {
  private readonly clock: Clock;
  private readonly stages: SimStages;
  private readonly random: () => number;
  private readonly loadFactor: number;
  private readonly parseQuantity: (text: string) => number | undefined;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, SimContainer>();
  private readonly listeners: ((sandboxId: string) => void)[] = [];
  private counter = 0;

  constructor(opts: SimRuntimeOptions) {
    this.clock = opts.clock;
    this.stages = { ...instantStages, ...opts.stages };
    this.random = seededRandom(opts.seed ?? 1);
    this.loadFactor = opts.loadFactor ?? 0.5;
    this.parseQuantity = opts.parseQuantity ?? ((t) => (Number.isFinite(Number(t)) ? Number(t) : undefined));
  }

  onChange(listener: (sandboxId: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(sandbox: Sandbox): void {
    for (const l of this.listeners) l(sandbox.id);
  }

  /** Wait out a stage: no timer (and no extra turn) when it is instant. */
  private async pass(stage: Stage): Promise<void> {
    const ms = stageDuration(stage, this.random);
    if (ms > 0) await this.clock.sleep(ms);
  }

  private newId(seed: string): string {
    return digest(`${seed}/${++this.counter}`);
  }

  async runPodSandbox(config: SandboxConfig): Promise<string> {
    const id = digest(`sandbox/${config.podUid}`);
    if (this.sandboxes.has(id)) return id;
    await this.pass(this.stages.sandbox);
    this.sandboxes.set(id, { id, config, containers: new Set() });
    return id;
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return;
    this.sandboxes.delete(sandboxId);
    for (const id of sandbox.containers) this.kill(id, 137);
    for (const id of sandbox.containers) this.containers.delete(id);
    await Promise.resolve();
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) throw new RuntimeError(`sandbox ${sandboxId} not found`);
    await this.pass(this.stages.create);
    const id = this.newId(`${sandboxId}/${config.name}`);
    const base = new Map<string, Uint8Array>([
      ['/etc/hostname', Buffer.from(`${sandbox.config.hostname}\n`)],
      ['/etc/hosts', Buffer.from(`127.0.0.1\tlocalhost\n${sandbox.config.ip}\t${sandbox.config.hostname}\n`)],
    ]);
    this.containers.set(id, {
      id,
      sandbox,
      config,
      state: { state: 'created', createdAt: this.clock.now() },
      log: new LogBuffer(),
      fs: new ContainerFilesystem(base, config.mounts),
      stopCode: 0,
      ...this.imageOf(config.image),
    });
    sandbox.containers.add(id);
    return id;
  }

  private readonly images = new Map<string, { image: string; imageRef: string }>();

  private imageOf(name: string): { image: string; imageRef: string } {
    let found = this.images.get(name);
    if (!found) {
      const image = normalizeImage(name);
      found = { image, imageRef: `${image.replace(/[:@][^/]*$/, '')}@sha256:${digest(image)}` };
      this.images.set(name, found);
    }
    return found;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.mustGet(containerId);
    await this.pass(this.stages.start);
    if (c.state.state !== 'created') return;
    c.state = { state: 'running', startedAt: this.clock.now() };
    const stop = new AbortController();
    c.stop = stop;
    void this.runMain(c, stop.signal);
  }

  /** The main process: steering first, then the command, else an endless server. */
  private async runMain(c: SimContainer, signal: AbortSignal): Promise<void> {
    const steering = c.config.init ? {} : steeringOf(c.sandbox.config.annotations);
    const argv = [...c.config.command, ...c.config.args];
    const out = (stream: 'stdout' | 'stderr') => (text: string | Uint8Array) =>
      c.log.append({ at: this.clock.now(), stream, data: Buffer.from(text) });
    if (steering.exitAfterMs !== undefined) {
      out('stdout')(`kos-sim: ${c.config.name} running for ${steering.exitAfterMs / 1000}s\n`);
      if (steering.exitAfterMs > 0) await this.sleep(steering.exitAfterMs, signal);
      if (!signal.aborted) this.exited(c, steering.exitCode ?? 0);
      return;
    }
    if (argv.length === 0 || !isKnownCommand(argv[0]!)) {
      // An image's entrypoint: a server that runs until stopped.
      c.stopCode = 0;
      out('stdout')(`kos-sim: ${c.config.name} started from image ${c.config.image}\n`);
      return;
    }
    c.stopCode = 137;
    const ctx: ShellContext = {
      env: new Map(Object.entries(c.config.env)),
      fs: c.fs,
      cwd: c.config.workingDir ?? '/',
      hostname: c.sandbox.config.hostname,
      clock: this.clock,
      stdout: out('stdout'),
      stderr: out('stderr'),
      signal,
    };
    const code = await runCommand(argv, ctx);
    if (!signal.aborted) this.exited(c, code);
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimer(ms, () => {
        signal.removeEventListener('abort', done);
        resolve();
      });
      function done(): void {
        timer.cancel();
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private exited(c: SimContainer, exitCode: number): void {
    if (c.state.state !== 'running') return;
    c.state = {
      state: 'exited',
      startedAt: c.state.startedAt,
      finishedAt: this.clock.now(),
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
    };
    c.log.close();
    if (this.containers.has(c.id)) this.changed(c.sandbox);
  }

  /** End the main process now with `code` (no change notification: the caller asked). */
  private kill(containerId: string, code: number): void {
    const c = this.containers.get(containerId);
    if (!c) return;
    c.stop?.abort();
    if (c.state.state === 'created') {
      c.state = { state: 'exited', startedAt: c.state.createdAt, finishedAt: this.clock.now(), exitCode: code, reason: 'Error' };
      c.log.close();
    } else if (c.state.state === 'running') {
      c.state = { state: 'exited', startedAt: c.state.startedAt, finishedAt: this.clock.now(), exitCode: code, reason: code === 0 ? 'Completed' : 'Error' };
      c.log.close();
    }
  }

  async stopContainer(containerId: string, graceSeconds: number): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c || c.state.state === 'exited') return;
    const ms = Math.min(stageDuration(this.stages.stop, this.random), Math.max(0, graceSeconds) * 1000);
    if (ms > 0) await this.clock.sleep(ms);
    this.kill(containerId, c.stopCode);
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return;
    this.kill(containerId, 137);
    c.sandbox.containers.delete(containerId);
    this.containers.delete(containerId);
    await Promise.resolve();
  }

  containerStatus(containerId: string): ContainerStatus | undefined {
    const c = this.containers.get(containerId);
    if (!c) return undefined;
    return { id: c.id, name: c.config.name, image: c.image, imageRef: c.imageRef, state: c.state };
  }

  containerLog(containerId: string): ContainerLog | undefined {
    return this.containers.get(containerId)?.log;
  }

  async exec(containerId: string, command: readonly string[], io: ProcessIO, signal: AbortSignal): Promise<number> {
    const c = this.containers.get(containerId);
    if (!c || c.state.state !== 'running') throw new RuntimeError('container not running');
    const name = command[0];
    if (name === undefined || !isKnownCommand(name)) {
      throw new RuntimeError(
        `OCI runtime exec failed: exec failed: unable to start container process: exec: "${name ?? ''}": executable file not found in $PATH: unknown`,
      );
    }
    const write = (stream: NodeJS.WritableStream) => (text: string | Uint8Array) => {
      stream.write(io.tty && typeof text === 'string' ? text.replace(/\r?\n/g, '\r\n') : text);
    };
    const ctx: ShellContext = {
      env: new Map(Object.entries(c.config.env)),
      fs: c.fs,
      cwd: c.config.workingDir ?? '/',
      hostname: c.sandbox.config.hostname,
      clock: this.clock,
      stdout: write(io.stdout),
      stderr: write(io.tty ? io.stdout : io.stderr),
      ...(io.stdin ? { stdin: io.stdin as AsyncIterable<Buffer> } : {}),
      tty: io.tty,
      signal,
    };
    return runCommand(command, ctx);
  }

  portForward(sandboxId: string, port: number): Duplex {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) {
      const closed = new PassThrough();
      closed.destroy(new RuntimeError(`sandbox ${sandboxId} not found`));
      return closed;
    }
    return portResponder(sandbox.config.name, port, () => this.clock.now());
  }

  usage(containerId: string): ContainerUsage | undefined {
    const c = this.containers.get(containerId);
    if (!c || c.state.state !== 'running') return undefined;
    const a = c.sandbox.config.annotations;
    const cpuOverride = a[cpuUsageAnnotation] !== undefined ? this.parseQuantity(a[cpuUsageAnnotation]) : undefined;
    const memOverride = a[memoryUsageAnnotation] !== undefined ? this.parseQuantity(a[memoryUsageAnnotation]) : undefined;
    const { cpu, memory } = c.config.requests;
    return {
      cpu: cpuOverride ?? (cpu ? cpu * this.loadFactor : idleUsage.cpu),
      memory: memOverride ?? (memory ? Math.round(memory * this.loadFactor) : idleUsage.memory),
    };
  }

  /** Sandboxes alive right now (tests, metrics). */
  sandboxCount(): number {
    return this.sandboxes.size;
  }

  private mustGet(id: string): SimContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError(`container ${id} not found`);
    return c;
  }
}
