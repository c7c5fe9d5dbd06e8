// Runs the steps of every area in order against one cluster, each judged on its own: a
// failing step is counted and the scenario goes on (later steps may then fail too, and say
// why). Values saved by one step are substituted into later ones.
import { failureReasons, valueAt, type Invocation } from './checks.js';
import { invoke, type KubectlEnv } from './invoke.js';
import { scoreSteps, type ScenarioResult, type StepOutcome } from './report.js';
import type { Area, Step } from './step.js';

export interface ScenarioOptions {
  /** Only steps whose `<area>/<id>` matches run (and count). */
  readonly select?: RegExp;
  readonly onStep?: (outcome: StepOutcome) => void;
}

/** `<area>/<id>` of every step that the selection keeps, in run order. */
export function selectedSteps(areas: readonly Area[], select?: RegExp): { area: string; step: Step }[] {
  return areas.flatMap((area) => area.steps.map((step) => ({ area: area.name, step })))
    .filter(({ area, step }) => select === undefined || select.test(`${area}/${step.id}`));
}

export async function runScenario(areas: readonly Area[], target: KubectlEnv, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const vars = new Map<string, string>();
  const outcomes: StepOutcome[] = [];
  for (const { area, step } of selectedSteps(areas, options.select)) {
    const missing = [...new Set([...step.args, step.stdin ?? ''].flatMap(placeholders))].filter((name) => !vars.has(name));
    let outcome: StepOutcome;
    if (missing.length > 0) {
      const run: Invocation = { code: null, stdout: '', stderr: '', stopped: false, timedOut: false };
      const reasons = missing.map((name) => `\${${name}} was not saved: the step that saves it failed`);
      outcome = { area, id: step.id, args: step.args, passed: false, reasons, run };
    } else {
      const concrete: Step = {
        ...step,
        args: step.args.map((arg) => substitute(arg, vars)),
        ...(step.stdin !== undefined && { stdin: substitute(step.stdin, vars) }),
      };
      const run = await invoke(concrete, target);
      const reasons = failureReasons(concrete, run);
      if (reasons.length === 0) reasons.push(...save(step, run.stdout, vars));
      outcome = { area, id: step.id, args: concrete.args, passed: reasons.length === 0, reasons, run };
    }
    outcomes.push(outcome);
    options.onStep?.(outcome);
  }
  return scoreSteps(outcomes);
}

const PLACEHOLDER = /\$\{(\w+)\}/g;

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => vars.get(name) ?? whole);
}

/** Stores the step's saved values; a value that is not there fails the step. */
function save(step: Step, stdout: string, vars: Map<string, string>): string[] {
  if (!step.save) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return ['stdout is not JSON, nothing to save'];
  }
  const reasons: string[] = [];
  for (const [name, path] of Object.entries(step.save)) {
    const found = valueAt(doc, path);
    if (found.present && (typeof found.value === 'string' || typeof found.value === 'number')) vars.set(name, String(found.value));
    else reasons.push(`${path} (to save as ${name}) is missing`);
  }
  return reasons;
}
