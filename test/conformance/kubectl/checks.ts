// Judges one finished kubectl invocation against its step's expectations. Every unmet
// expectation becomes one reason, so a failed step says all that was wrong at once.
import type { JsonCheck, Step } from './step.js';

export interface Invocation {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Stopped by the runner as the step asked (stopAfterMs), not by itself. */
  readonly stopped: boolean;
  /** Killed because it ran past the step's timeout. */
  readonly timedOut: boolean;
}

export function failureReasons(step: Step, run: Invocation): string[] {
  if (run.timedOut) return [`timed out after ${(step.timeoutMs ?? 30_000) / 1000} s`];
  const reasons: string[] = [];
  const { expect } = step;
  const code = expect.code ?? 0;
  if (!run.stopped && run.code !== code) reasons.push(`exit code ${run.code ?? 'none'}, expected ${code}`);
  for (const regex of expect.stdout ?? []) {
    if (!regex.test(run.stdout)) reasons.push(`stdout does not match ${regex}`);
  }
  for (const regex of expect.notStdout ?? []) {
    if (regex.test(run.stdout)) reasons.push(`stdout matches ${regex}, which it must not`);
  }
  for (const regex of expect.stderr ?? []) {
    if (!regex.test(run.stderr)) reasons.push(`stderr does not match ${regex}`);
  }
  if (expect.json?.length) reasons.push(...jsonReasons(expect.json, run.stdout));
  return reasons;
}

function jsonReasons(checks: readonly JsonCheck[], stdout: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return ['stdout is not JSON'];
  }
  const reasons: string[] = [];
  for (const check of checks) {
    const found = valueAt(doc, check.path);
    if (!found.present) {
      if (check.exists !== false) reasons.push(`${check.path} is missing`);
      continue;
    }
    if (check.exists === false) reasons.push(`${check.path} is present (${show(found.value)}), expected absent`);
    if ('equals' in check && JSON.stringify(found.value) !== JSON.stringify(check.equals)) {
      reasons.push(`${check.path} is ${show(found.value)}, expected ${show(check.equals)}`);
    }
    if (check.matches && !check.matches.test(typeof found.value === 'string' ? found.value : JSON.stringify(found.value))) {
      reasons.push(`${check.path} is ${show(found.value)}, does not match ${check.matches}`);
    }
  }
  return reasons;
}

/** Follows a dotted path; numeric segments index arrays. Keys with dots are not addressable. */
export function valueAt(doc: unknown, path: string): { present: boolean; value?: unknown } {
  let here: unknown = doc;
  for (const segment of path.split('.')) {
    if (Array.isArray(here) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      if (index >= here.length) return { present: false };
      here = here[index];
    } else if (typeof here === 'object' && here !== null && !Array.isArray(here) && Object.hasOwn(here, segment)) {
      here = (here as Record<string, unknown>)[segment];
    } else {
      return { present: false };
    }
  }
  return { present: true, value: here };
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
