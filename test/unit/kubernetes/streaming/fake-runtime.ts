/**
 * A scripted ContainerRuntime for tests: logs are lines the test supplies (and can append
 * to while a follower reads), exec understands `echo …`, `cat`, `sh -c "exit N"` and
 * `err …` (to stderr), attach behaves like `cat`, and port-forward echoes bytes back.
 */
import { PassThrough, type Duplex } from 'node:stream';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import type { ContainerRuntime, ContainerSession, LogOptions, SessionExit, StreamOptions, TerminalSize } from '../../../../src/kubernetes/runtime/types.js';

export class FakeRuntime implements ContainerRuntime {
  readonly resizes: TerminalSize[] = [];
  readonly execs: { pod: string; container: string; command: readonly string[]; opts: StreamOptions }[] = [];
  readonly logRequests: { pod: string; container: string; opts: LogOptions }[] = [];
  private readonly lines = new Map<string, string[]>();
  private readonly followers = new Set<() => void>();

  /** Add log lines to `<pod>/<container>`; followers see them at once. */
  appendLog(pod: string, container: string, ...lines: string[]): void {
    const key = `${pod}/${container}`;
    this.lines.set(key, [...(this.lines.get(key) ?? []), ...lines]);
    for (const wake of this.followers) wake();
  }

  async *logs(pod: KubeObject, container: string, opts: LogOptions, signal: AbortSignal): AsyncIterable<Buffer> {
    const key = `${pod.metadata.name ?? ''}/${container}`;
    this.logRequests.push({ pod: pod.metadata.name ?? '', container, opts });
    const all = this.lines.get(key) ?? [];
    let sent = opts.tailLines === undefined ? 0 : Math.max(0, all.length - opts.tailLines);
    for (;;) {
      const current = this.lines.get(key) ?? [];
      while (sent < current.length) yield Buffer.from(`${current[sent++]}\n`);
      if (!opts.follow || signal.aborted) return;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.followers.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.followers.add(wake);
        signal.addEventListener('abort', wake);
      });
    }
  }

  async exec(pod: KubeObject, container: string, command: readonly string[], opts: StreamOptions): Promise<ContainerSession> {
    this.execs.push({ pod: pod.metadata.name ?? '', container, command, opts });
    return this.session(opts, (stdout, stderr, stdin) => {
      const [program, ...args] = command;
      if (program === 'echo') {
        stdout.end(`${args.join(' ')}\n`);
        return Promise.resolve({ exitCode: 0 });
      }
      if (program === 'err') {
        stderr.end(`${args.join(' ')}\n`);
        return Promise.resolve({ exitCode: 1 });
      }
      if (program === 'sh' && args[0] === '-c' && /^exit \d+$/.test(args[1] ?? '')) {
        stdout.end();
        return Promise.resolve({ exitCode: Number((args[1] ?? '').slice(5)) });
      }
      if (program === 'cat') return this.cat(stdin, stdout);
      stderr.end(`${program ?? ''}: not found\n`);
      return Promise.resolve({ exitCode: 127 });
    });
  }

  async attach(_pod: KubeObject, _container: string, opts: StreamOptions): Promise<ContainerSession> {
    return this.session(opts, (stdout, _stderr, stdin) => this.cat(stdin, stdout));
  }

  async portForward(_pod: KubeObject, _port: number): Promise<Duplex> {
    return new PassThrough();
  }

  private cat(stdin: PassThrough, stdout: PassThrough): Promise<SessionExit> {
    stdin.pipe(stdout);
    return new Promise((resolve) => stdout.once('end', () => resolve({ exitCode: 0 })));
  }

  private session(opts: StreamOptions, run: (stdout: PassThrough, stderr: PassThrough, stdin: PassThrough) => Promise<SessionExit>): ContainerSession {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (!opts.stdin) stdin.end();
    const exit = run(stdout, stderr, stdin);
    if (!stderr.writableEnded && !opts.stderr) stderr.end();
    const session: ContainerSession = {
      resize: (size) => this.resizes.push(size),
      exit,
      close: () => {
        stdin.end();
      },
    };
    if (opts.stdin) session.stdin = stdin;
    if (opts.stdout) session.stdout = stdout;
    else stdout.resume();
    if (opts.stderr) session.stderr = stderr;
    else stderr.resume();
    // stderr that nobody writes to must still end for the exit to be reported.
    void exit.then(() => {
      if (!stderr.writableEnded) stderr.end();
      if (!stdout.writableEnded) stdout.end();
    });
    return session;
  }
}
