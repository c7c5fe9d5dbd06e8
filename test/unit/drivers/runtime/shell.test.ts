import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/core/clock.js';
import { ContainerFilesystem } from '../../../../src/drivers/runtime/sim/filesystem.js';
import { parseScript } from '../../../../src/drivers/runtime/sim/shell/parse.js';
import { piDigits } from '../../../../src/drivers/runtime/sim/shell/pi.js';
import { formatDate, runCommand } from '../../../../src/drivers/runtime/sim/shell/run.js';
import type { Mount } from '../../../../src/drivers/runtime/types.js';

function shell(mounts: Mount[] = [], clock = new VirtualClock()) {
  const out: string[] = [];
  const err: string[] = [];
  const abort = new AbortController();
  const ctx = {
    env: new Map([['GREETING', 'hi there']]),
    fs: new ContainerFilesystem(new Map([['/etc/hostname', Buffer.from('pod-a\n')]]), mounts),
    cwd: '/',
    hostname: 'pod-a',
    clock,
    stdout: (t: string | Uint8Array) => out.push(Buffer.from(t).toString()),
    stderr: (t: string | Uint8Array) => err.push(Buffer.from(t).toString()),
    signal: abort.signal,
  };
  return { ctx, out: () => out.join(''), err: () => err.join(''), abort, clock };
}

const configMount: Mount = { containerPath: '/etc/config', source: { writable: false, files: () => new Map([['greeting', Buffer.from('hello\n')], ['nested/k', Buffer.from('v')]]) } };

describe('sim shell', () => {
  it('parses quotes, variables and connectors', () => {
    const cmds = parseScript(`echo "a $B" 'c $D' && false || exit 3; date`);
    expect(cmds.map((c) => c.after)).toEqual([';', '&&', '||', ';']);
    expect(cmds[0]!.words[1]).toEqual([{ literal: 'a ' }, { variable: 'B' }]);
    expect(cmds[0]!.words[2]).toEqual([{ literal: 'c $D' }]);
  });

  it('runs echo, variables and exit codes through sh -c', async () => {
    const s = shell();
    const code = await runCommand(['sh', '-c', 'echo "$GREETING"; false || echo recovered && exit 4; echo never'], s.ctx);
    expect(code).toBe(4);
    expect(s.out()).toBe('hi there\nrecovered\n');
  });

  it('reads mounted files with cat and lists them with ls', async () => {
    const s = shell([configMount]);
    expect(await runCommand(['cat', '/etc/config/greeting'], s.ctx)).toBe(0);
    expect(await runCommand(['ls', '/etc/config'], s.ctx)).toBe(0);
    expect(s.out()).toBe('hello\ngreeting\nnested\n');
    expect(await runCommand(['cat', '/etc/config/nope'], s.ctx)).toBe(1);
    expect(s.err()).toBe('cat: /etc/config/nope: No such file or directory\n');
  });

  it('answers unknown commands with 127 and sh: X: not found', async () => {
    const s = shell();
    expect(await runCommand(['sh', '-c', 'frobnicate --now'], s.ctx)).toBe(127);
    expect(s.err()).toBe('sh: frobnicate: not found\n');
  });

  it('sleeps on the clock, not in real time', async () => {
    const s = shell();
    let done = false;
    const run = runCommand(['sh', '-c', 'sleep 5; echo woke'], s.ctx).then((c) => {
      done = true;
      return c;
    });
    await s.clock.advance(4999);
    expect(done).toBe(false);
    await s.clock.advance(1);
    expect(await run).toBe(0);
    expect(s.out()).toBe('woke\n');
  });

  it('prints env, hostname and date like the real tools', async () => {
    const s = shell();
    await runCommand(['printenv', 'GREETING'], s.ctx);
    await runCommand(['hostname'], s.ctx);
    expect(s.out()).toBe('hi there\npod-a\n');
    expect(formatDate(Date.UTC(2026, 0, 1, 3, 4, 5))).toBe('Thu Jan  1 03:04:05 UTC 2026');
  });

  it('computes the Job example digits of pi', () => {
    expect(piDigits(10)).toBe('3.141592653');
    const long = piDigits(2000);
    expect(long).toHaveLength(2001);
    expect(long.startsWith('3.14159265358979323846264338327950288419716939937510')).toBe(true);
    // The Feynman point: decimals 762 to 767 are six nines.
    expect(long.slice(1 + 762, 1 + 768)).toBe('999999');
  });

  it('reads commands from stdin in an interactive shell, echoing and prompting on a tty', async () => {
    const s = shell();
    async function* typed(): AsyncGenerator<string> {
      yield 'echo one\n';
      yield 'cd /etc\npwd\nexit 3\necho never\n';
    }
    expect(await runCommand(['sh'], { ...s.ctx, stdin: typed() })).toBe(3);
    expect(s.out()).toBe('one\n/etc\n');
    const t = shell();
    async function* keys(): AsyncGenerator<string> {
      yield 'eco\x7fho hi\r';
      yield '\x04';
    }
    expect(await runCommand(['sh'], { ...t.ctx, stdin: keys(), tty: true })).toBe(0);
    expect(t.out()).toBe('/ # eco\b \bho hi\r\nhi\n/ # ');
  });
});
