// What a kubectl run leaves behind: a per-area tally on stdout, failed.txt (every failed
// step with its command, reasons and output) in the workspace, and the closing counts line.
import type { Invocation } from './checks.js';

export interface StepOutcome {
  readonly area: string;
  readonly id: string;
  readonly args: readonly string[];
  readonly passed: boolean;
  /** Why it failed; empty when it passed. */
  readonly reasons: readonly string[];
  readonly run: Invocation;
}

export interface ScenarioResult {
  readonly steps: readonly StepOutcome[];
  readonly passed: number;
  readonly failed: number;
}

export function scoreSteps(steps: readonly StepOutcome[]): ScenarioResult {
  const passed = steps.filter((s) => s.passed).length;
  return { steps, passed, failed: steps.length - passed };
}

/** `N passed, N failed`: the scenario skips nothing, a failing step counts as failed. */
export function scenarioCountsLine(result: Pick<ScenarioResult, 'passed' | 'failed'>): string {
  return `${result.passed} passed, ${result.failed} failed`;
}

export function areaTally(result: ScenarioResult): string {
  const areas = new Map<string, { passed: number; total: number }>();
  for (const step of result.steps) {
    const tally = areas.get(step.area) ?? { passed: 0, total: 0 };
    areas.set(step.area, tally);
    tally.total += 1;
    if (step.passed) tally.passed += 1;
  }
  // Scenario order, not alphabetical: areas build on each other and read as a session.
  const rows = [...areas].map(([name, t]) => {
    const failed = t.total - t.passed;
    return `  ${`${t.passed}/${t.total}`.padStart(7)}  ${name}${failed ? `  (${failed} failed)` : ''}`;
  });
  return ['Per area (passed/run):', ...rows].join('\n');
}

/** One line per failed step for the terminal: `area/id: first reason`. */
export function failedSummary(result: ScenarioResult): string {
  const failed = result.steps.filter((s) => !s.passed);
  if (failed.length === 0) return 'No failures.';
  return ['Failed steps:', ...failed.map((s) => `  ${s.area}/${s.id}: ${s.reasons[0] ?? ''}`)].join('\n');
}

const MAX_OUTPUT = 4_000;

/** failed.txt: each failed step with its command line, every reason and what kubectl printed. */
export function failedFile(result: ScenarioResult): string {
  const blocks = result.steps.filter((s) => !s.passed).map((s) => [
    `=== ${s.area}/${s.id}`,
    `$ kubectl ${s.args.map(quote).join(' ')}`,
    ...s.reasons.map((r) => `reason: ${r}`),
    `exit: ${s.run.stopped ? 'stopped by the harness' : String(s.run.code)}`,
    '--- stdout', clip(s.run.stdout),
    '--- stderr', clip(s.run.stderr),
    '',
  ].join('\n'));
  return blocks.join('\n');
}

function clip(text: string): string {
  const trimmed = text.replace(/\n$/, '');
  return trimmed.length > MAX_OUTPUT ? `${trimmed.slice(0, MAX_OUTPUT)}\n… (${trimmed.length - MAX_OUTPUT} more characters)` : trimmed;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
