/**
 * The sim shell: runs the small documented command set over a container's in-memory
 * filesystem and environment, sleeping on the injected clock. Containers' main processes
 * and `kubectl exec` both go through it.
 *
 * Commands: echo, printf (plain), true, false, exit N, sleep N, date, cat, ls, env,
 * printenv, hostname, pwd, cd, export, uname, sh/bash [-c script], and the Job example's
 * `perl -Mbignum=bpi -wle 'print bpi(N)'`. Anything else is `sh: X: not found` (127).
 */
import type { Clock } from '../../../../core/clock.js';
import type { ContainerFilesystem } from '../filesystem.js';
import { normalizePath } from '../filesystem.js';
import { expandWord, parseScript, ShellSyntaxError } from './parse.js';
import { piDigits } from './pi.js';

export interface ShellContext {
  env: Map<string, string>;
  fs: ContainerFilesystem;
  cwd: string;
  hostname: string;
  clock: Clock;
  stdout(text: string | Uint8Array): void;
  stderr(text: string | Uint8Array): void;
  /** Lines typed by the client, when stdin is attached. */
  stdin?: AsyncIterable<Buffer | string>;
  /** A terminal: input is echoed and an interactive shell prompts. */
  tty?: boolean;
  signal: AbortSignal;
}

type Builtin = (args: string[], ctx: ShellContext) => Promise<number> | number;

/** Thrown by `exit`: unwinds to the shell that runs the script. */
class ExitSignal {
  constructor(readonly code: number) {}
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `date`'s default format, in UTC: `Thu Jan  1 00:00:00 UTC 2026`. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** `sleep`'s argument: seconds with an optional s/m/h/d suffix; undefined when invalid. */
export function sleepMs(arg: string): number | undefined {
  if (arg === 'infinity') return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit * 1000;
}

function sleepOnClock(ctx: ShellContext, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.signal.aborted) return resolve();
    const timer = Number.isFinite(ms) ? ctx.clock.setTimer(ms, done) : undefined;
    function done(): void {
      timer?.cancel();
      ctx.signal.removeEventListener('abort', done);
      resolve();
    }
    ctx.signal.addEventListener('abort', done);
  });
}

async function* stdinLines(ctx: ShellContext): AsyncGenerator<string> {
  if (!ctx.stdin) return;
  let buffered = '';
  for await (const chunk of ctx.stdin) {
    for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
      if (!ctx.tty) {
        if (ch === '\n') {
          yield buffered;
          buffered = '';
        } else buffered += ch;
        continue;
      }
      // A terminal in raw mode: the pty echoes, edits and ends lines on CR.
      if (ch === '\r' || ch === '\n') {
        ctx.stdout('\r\n');
        yield buffered;
        buffered = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (buffered) ctx.stdout('\b \b');
        buffered = buffered.slice(0, -1);
      } else if (ch === '\x04') {
        if (!buffered) return;
      } else if (ch === '\x03') {
        ctx.stdout('^C\r\n');
        buffered = '';
        yield '';
      } else {
        ctx.stdout(ch);
        buffered += ch;
      }
    }
  }
  if (buffered) yield buffered;
}

const builtins: Record<string, Builtin> = {
  true: () => 0,
  false: () => 1,
  ':': () => 0,
  exit: (args) => {
    throw new ExitSignal(args[0] === undefined ? 0 : Number.parseInt(args[0], 10) & 0xff);
  },
  echo: (args, ctx) => {
    const noNewline = args[0] === '-n';
    ctx.stdout(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
    return 0;
  },
  printf: (args, ctx) => {
    const [format = '', ...rest] = args;
    let i = 0;
    ctx.stdout(format.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/%[sd]/g, () => rest[i++] ?? ''));
    return 0;
  },
  sleep: async (args, ctx) => {
    if (args.length === 0) {
      ctx.stderr('sleep: missing operand\n');
      return 1;
    }
    let total = 0;
    for (const a of args) {
      const ms = sleepMs(a);
      if (ms === undefined) {
        ctx.stderr(`sleep: invalid time interval '${a}'\n`);
        return 1;
      }
      total += ms;
    }
    await sleepOnClock(ctx, total);
    return ctx.signal.aborted ? 143 : 0;
  },
  date: (_args, ctx) => {
    ctx.stdout(`${formatDate(ctx.clock.now())}\n`);
    return 0;
  },
  hostname: (_args, ctx) => {
    ctx.stdout(`${ctx.hostname}\n`);
    return 0;
  },
  uname: (args, ctx) => {
    ctx.stdout(args.includes('-a') ? `Linux ${ctx.hostname} 6.8.0-kos x86_64 GNU/Linux\n` : 'Linux\n');
    return 0;
  },
  pwd: (_args, ctx) => {
    ctx.stdout(`${ctx.cwd}\n`);
    return 0;
  },
  cd: (args, ctx) => {
    const target = normalizePath(args[0] ?? '/', ctx.cwd);
    if (ctx.fs.lookup(target)?.kind !== 'dir') {
      ctx.stderr(`sh: cd: can't cd to ${args[0] ?? '/'}: No such file or directory\n`);
      return 2;
    }
    ctx.cwd = target;
    return 0;
  },
  env: (_args, ctx) => {
    for (const [k, v] of ctx.env) ctx.stdout(`${k}=${v}\n`);
    return 0;
  },
  printenv: (args, ctx) => {
    if (args.length === 0) return builtins.env!(args, ctx);
    let code = 0;
    for (const name of args) {
      const v = ctx.env.get(name);
      if (v === undefined) code = 1;
      else ctx.stdout(`${v}\n`);
    }
    return code;
  },
  export: (args, ctx) => {
    for (const a of args) {
      const eq = a.indexOf('=');
      if (eq > 0) ctx.env.set(a.slice(0, eq), a.slice(eq + 1));
    }
    return 0;
  },
  cat: async (args, ctx) => {
    if (args.length === 0 || (args.length === 1 && args[0] === '-')) {
      for await (const line of stdinLines(ctx)) ctx.stdout(`${line}\n`);
      return 0;
    }
    let code = 0;
    for (const path of args) {
      const entry = ctx.fs.lookup(normalizePath(path, ctx.cwd));
      if (!entry) {
        ctx.stderr(`cat: ${path}: No such file or directory\n`);
        code = 1;
      } else if (entry.kind === 'dir') {
        ctx.stderr(`cat: ${path}: Is a directory\n`);
        code = 1;
      } else ctx.stdout(entry.data);
    }
    return code;
  },
  ls: (args, ctx) => {
    const all = args.some((a) => /^-[a-zA-Z]*a/.test(a));
    const paths = args.filter((a) => !a.startsWith('-'));
    let code = 0;
    const targets = paths.length ? paths : ['.'];
    for (const path of targets) {
      const entry = ctx.fs.lookup(normalizePath(path, ctx.cwd));
      if (!entry) {
        ctx.stderr(`ls: ${path}: No such file or directory\n`);
        code = 1;
        continue;
      }
      if (targets.length > 1 && entry.kind === 'dir') ctx.stdout(`${path}:\n`);
      // Projected volumes keep their data behind dot-named entries, hidden without -a.
      const names = entry.kind === 'dir' ? entry.names.filter((n) => all || !n.startsWith('.')) : [path];
      for (const n of names) ctx.stdout(`${n}\n`);
    }
    return code;
  },
  perl: (args, ctx) => {
    const script = args.join(' ');
    const m = /print\s+bpi\((\d+)\)/.exec(script);
    if (!m) {
      ctx.stderr('perl: only the bpi example is supported by the sim runtime\n');
      return 2;
    }
    ctx.stdout(`${piDigits(Math.min(Number(m[1]), 20_000))}\n`);
    return 0;
  },
};

const shells = new Set(['sh', 'bash', 'ash', 'dash', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/bash', '/bin/dash']);

/** The command name without its directory (`/bin/echo` → `echo`). */
const baseName = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/** Whether the sim knows this executable (exec of anything else is an OCI-style failure). */
export function isKnownCommand(name: string): boolean {
  return shells.has(name) || baseName(name) in builtins;
}

/** Run one command line already split into words. */
export async function runCommand(argv: readonly string[], ctx: ShellContext): Promise<number> {
  try {
    return await runArgv(argv, ctx);
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    throw e;
  }
}

async function runArgv(argv: readonly string[], ctx: ShellContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) return 0;
  if (shells.has(name)) return runShell(args, ctx);
  const builtin = builtins[baseName(name)];
  if (!builtin) {
    ctx.stderr(`sh: ${name}: not found\n`);
    return 127;
  }
  return builtin(args, ctx);
}

/** `sh -c script [name args…]`, or an interactive shell reading commands from stdin. */
async function runShell(args: string[], ctx: ShellContext): Promise<number> {
  const flags = args.filter((a) => /^-[a-z]+$/.test(a) && a !== '-c');
  const rest = args.filter((a) => !flags.includes(a));
  const sub: ShellContext = { ...ctx, env: new Map(ctx.env) };
  if (rest[0] === '-c') {
    if (rest[1] === undefined) {
      ctx.stderr('sh: -c requires an argument\n');
      return 2;
    }
    return runScript(rest[1], sub);
  }
  let status = 0;
  const prompt = (): void => {
    if (ctx.tty) ctx.stdout(`${sub.cwd} # `);
  };
  prompt();
  // The subshell's own stdin is the terminal: commands it runs must not read it too.
  const { stdin: _stdin, ...withoutStdin } = sub;
  for await (const line of stdinLines(ctx)) {
    try {
      status = await executeScript(line, withoutStdin as ShellContext, status);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
    sub.cwd = withoutStdin.cwd;
    prompt();
  }
  return status;
}

/** Run a script; `exit` ends it with its code. */
export async function runScript(script: string, ctx: ShellContext): Promise<number> {
  try {
    return await executeScript(script, ctx, 0);
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    throw e;
  }
}

async function executeScript(script: string, ctx: ShellContext, lastStatus: number): Promise<number> {
  let commands;
  try {
    commands = parseScript(script);
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    ctx.stderr(`sh: ${e.message}\n`);
    return 2;
  }
  let status = lastStatus;
  for (const cmd of commands) {
    if (ctx.signal.aborted) return 143;
    if (cmd.after === '&&' && status !== 0) continue;
    if (cmd.after === '||' && status === 0) continue;
    const lookup = (n: string): string | undefined => (n === '?' ? String(status) : ctx.env.get(n));
    const words = cmd.words.map((w) => expandWord(w, lookup));
    // Leading NAME=value words set shell variables.
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
      const w = words.shift()!;
      const eq = w.indexOf('=');
      ctx.env.set(w.slice(0, eq), w.slice(eq + 1));
    }
    status = await runArgv(words, ctx);
  }
  return status;
}
