// The text a run leaves behind: a per-class tally and the top causes on stdout, failed.txt
// (ids only, so `tempest run --load-list failed.txt` reruns them) and causes.txt (every
// failure, grouped) in the workspace, and the closing counts line CI reads.
import { groupCauses, type CauseGroup } from './causes.js';
import type { Outcome, SuiteResult } from './results.js';

/** The last line of every run; CI judges the run by it. */
export function countsLine(result: Pick<SuiteResult, 'passed' | 'failed' | 'skipped'>): string {
  return `${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`;
}

export function classTally(result: SuiteResult): string {
  const classes = new Map<string, Record<Outcome, number>>();
  for (const test of result.tests) {
    const tally = classes.get(test.className) ?? { passed: 0, failed: 0, skipped: 0 };
    classes.set(test.className, tally);
    tally[test.outcome] += 1;
  }
  const rows = [...classes].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => {
    const total = t.passed + t.failed + t.skipped;
    const extra = [t.failed ? `${t.failed} failed` : '', t.skipped ? `${t.skipped} skipped` : ''].filter(Boolean);
    const ratio = `${t.passed}/${total}`.padStart(7);
    return `  ${ratio}  ${name}${extra.length ? `  (${extra.join(', ')})` : ''}`;
  });
  return ['Per class (passed/listed):', ...rows].join('\n');
}

export function failureGroups(result: SuiteResult): CauseGroup[] {
  return groupCauses(result.tests.filter((t) => t.outcome === 'failed'));
}

export function topCauses(groups: readonly CauseGroup[], limit = 15): string {
  if (groups.length === 0) return 'No failures.';
  const lines = [`Top failure causes (${groups.length} distinct):`];
  for (const group of groups.slice(0, limit)) {
    lines.push(`  ${String(group.count).padStart(4)} × ${group.cause}`);
    if (group.requests.length) lines.push(`         calls: ${group.requests.slice(0, 3).join('; ')}`);
    lines.push(`         e.g. ${group.tests[0] ?? ''}`);
  }
  if (groups.length > limit) lines.push(`  … ${groups.length - limit} more in causes.txt`);
  return lines.join('\n');
}

export function failedList(result: SuiteResult): string {
  const ids = result.tests.filter((t) => t.outcome === 'failed').map((t) => t.id);
  return ids.length ? `${ids.join('\n')}\n` : '';
}

export function causesFile(result: SuiteResult, groups: readonly CauseGroup[]): string {
  const lines: string[] = [];
  for (const group of groups) {
    lines.push(`${group.count} × ${group.cause}`);
    for (const request of group.requests) lines.push(`    call: ${request}`);
    for (const id of group.tests) lines.push(`    ${id}`);
    lines.push('');
  }
  if (result.fixtureFailures.length) {
    lines.push('Failed class fixtures:');
    for (const record of result.fixtureFailures) lines.push(`    ${record.id}`);
    lines.push('');
  }
  return lines.join('\n');
}
