// Groups failures by cause, so a run of hundreds of failures reads as a handful of missing
// features. A cause is the exception at the bottom of the traceback with everything that
// differs from test to test (ids, generated names, addresses, ports) blanked out.
import type { TestOutcome } from './results.js';

export interface CauseGroup {
  readonly cause: string;
  readonly count: number;
  /** The ids of the tests that failed this way. */
  readonly tests: readonly string[];
  /** The failing HTTP calls behind it (`404 GET /v3/…`), most frequent first. */
  readonly requests: readonly string[];
}

const MAX_CAUSE = 300;

/** The exception lines of a Python traceback (the last frame's code lines dropped). */
export function exceptionOf(traceback: string): string {
  const lines = traceback.split('\n').map((line) => line.trimEnd());
  let lastFrame = -1;
  lines.forEach((line, i) => {
    if (/^\s*File "/.test(line)) lastFrame = i;
  });
  let start = lastFrame + 1;
  // After the frame line come its code line and, on Python 3.11+, a ^^^ marker: all indented.
  while (lastFrame >= 0 && start < lines.length && /^\s/.test(lines[start] ?? '')) start += 1;
  const block = lines.slice(start).filter((line) => line.trim() !== '');
  if (block.length === 0) return lines.filter((line) => line.trim() !== '').at(-1)?.trim() ?? '';
  // Tempest puts the server's answer on a "Details:" line under the exception.
  const details = block.slice(1).find((line) => line.startsWith('Details:'));
  return [block[0], details].filter((line) => line !== undefined).join(' | ');
}

/** Blanks out what varies between runs and tests, so equal causes compare equal. */
export function normalize(text: string): string {
  return text
    .replace(/https?:\/\/[\w.-]+(:\d+)?/g, '')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b[0-9a-f]{32}\b/gi, '<id>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<addr>')
    .replace(/\bport=\d+/g, 'port=<port>')
    // data_utils.rand_name: tempest-<name>-<random digits>
    .replace(/\btempest-[\w-]*?-\d{5,}\b/g, '<name>')
    .replace(/\b\d{6,}\b/g, '<n>')
    .replace(/\d+\.\d+s\b/g, '<t>');
}

/** The last call answered with an error in tempest's request log: `404 GET /v3/users/<id>`. */
export function lastFailedRequest(log: string): string | undefined {
  let found: string | undefined;
  for (const match of log.matchAll(/Request \([^)]*\): (\d{3}) ([A-Z]+) (\S+)/g)) {
    const [, status, method, url] = match;
    if (Number(status) >= 400) found = `${status} ${method} ${normalize(url ?? '')}`;
  }
  return found;
}

export function causeOf(test: TestOutcome): string {
  if (test.source === 'missing') return test.detail ?? 'no result';
  const detail = test.detail ?? '';
  const summary = test.outcome === 'skipped' ? detail.trim().split('\n')[0] ?? '' : exceptionOf(detail);
  const cause = normalize(summary || 'no traceback');
  const prefix = test.source === 'fixture' ? 'setUpClass: ' : '';
  return prefix + (cause.length > MAX_CAUSE ? `${cause.slice(0, MAX_CAUSE)}…` : cause);
}

export function groupCauses(tests: readonly TestOutcome[]): CauseGroup[] {
  const groups = new Map<string, { tests: TestOutcome[]; requests: Map<string, number> }>();
  for (const test of tests) {
    const cause = causeOf(test);
    const group = groups.get(cause) ?? { tests: [], requests: new Map<string, number>() };
    groups.set(cause, group);
    group.tests.push(test);
    const request = test.log === undefined ? undefined : lastFailedRequest(test.log);
    if (request) group.requests.set(request, (group.requests.get(request) ?? 0) + 1);
  }
  return [...groups]
    .map(([cause, { tests: members, requests }]) => ({
      cause,
      count: members.length,
      tests: members.map((t) => t.id),
      requests: [...requests].sort((a, b) => b[1] - a[1]).map(([request]) => request),
    }))
    .sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause));
}
