// Command line of the harness: run.ts <suite> [--keep] [--regex R] [--list] [--min-pass-rate X]
import { parseArgs } from 'node:util';

export interface HarnessArgs {
  readonly suite: string;
  /** Keep kos's data directory after the run (the workspace is always kept). */
  readonly keep: boolean;
  /** Replaces the suite's regexes (the suite still supplies tempest.conf). */
  readonly regex?: string;
  /** Only list the suite's tests. */
  readonly list: boolean;
  /** Exit 1 when passed / listed is below this (0..1). */
  readonly minPassRate?: number;
  readonly concurrency: number;
  /** Whole tempest run, in seconds. */
  readonly timeoutSeconds: number;
}

export const USAGE = `usage: npm run conformance -- <suite> [options]
  --list               only list the suite's tests
  --regex R            run the tests matching R instead of the suite's regexes
  --keep               keep kos's data directory after the run
  --min-pass-rate X    exit 1 when passed/listed < X (0..1)
  --concurrency N      tempest workers (default 2)
  --timeout S          stop tempest after S seconds (default 1500)`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseHarnessArgs(argv: readonly string[]): HarnessArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        keep: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        regex: { type: 'string' },
        'min-pass-rate': { type: 'string' },
        concurrency: { type: 'string', default: '2' },
        timeout: { type: 'string', default: '1500' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [suite, ...extra] = positionals;
  if (suite === undefined) throw new UsageError('no suite given');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const minPassRate = values['min-pass-rate'] === undefined ? undefined : number('--min-pass-rate', values['min-pass-rate'], 0, 1);
  return {
    suite,
    keep: values.keep,
    list: values.list,
    ...(values.regex !== undefined && { regex: values.regex }),
    ...(minPassRate !== undefined && { minPassRate }),
    concurrency: integer('--concurrency', values.concurrency, 1),
    timeoutSeconds: integer('--timeout', values.timeout, 1),
  };
}

function number(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function integer(flag: string, text: string, min: number): number {
  const value = number(flag, text, min, Number.MAX_SAFE_INTEGER);
  if (!Number.isInteger(value)) throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(text)}`);
  return value;
}
