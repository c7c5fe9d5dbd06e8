/**
 * Per-pod steering of the sim runtime by annotation (the names are part of kos's
 * interface; docs in README.md):
 *   sim.kos.dev/run-duration  Go duration: main containers exit after it (exit-code, else 0)
 *   sim.kos.dev/exit-code     the code they exit with (alone: exit at once)
 *   sim.kos.dev/crash-after   Go duration: exit after it with exit-code, else 1 — every run
 *   sim.kos.dev/ready-after   Go duration: readiness this long after start (the kubelet reads it)
 *   sim.kos.dev/cpu-usage     quantity per container, e.g. 250m
 *   sim.kos.dev/memory-usage  quantity per container, e.g. 64Mi
 */

export const steeringPrefix = 'sim.kos.dev/';
export const runDurationAnnotation = 'sim.kos.dev/run-duration';
export const exitCodeAnnotation = 'sim.kos.dev/exit-code';
export const crashAfterAnnotation = 'sim.kos.dev/crash-after';
export const readyAfterAnnotation = 'sim.kos.dev/ready-after';
export const cpuUsageAnnotation = 'sim.kos.dev/cpu-usage';
export const memoryUsageAnnotation = 'sim.kos.dev/memory-usage';

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("1h2m", "1.5s", "300ms") in ms; undefined when malformed. */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * unitMs[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === s.length && matched > 0 ? total : undefined;
}

/** What steering says a main container's process does; undefined fields: no steering. */
export interface Steering {
  /** Exit after this many ms with `exitCode`. */
  exitAfterMs?: number;
  exitCode?: number;
  readyAfterMs?: number;
}

export function steeringOf(annotations: Readonly<Record<string, string>>): Steering {
  const crash = parseGoDuration(annotations[crashAfterAnnotation]);
  const run = parseGoDuration(annotations[runDurationAnnotation]);
  const codeText = annotations[exitCodeAnnotation];
  const code = codeText !== undefined && /^\d+$/.test(codeText.trim()) ? Number(codeText) & 0xff : undefined;
  const out: Steering = {};
  if (crash !== undefined) {
    out.exitAfterMs = crash;
    out.exitCode = code ?? 1;
  } else if (run !== undefined) {
    out.exitAfterMs = run;
    out.exitCode = code ?? 0;
  } else if (code !== undefined) {
    out.exitAfterMs = 0;
    out.exitCode = code;
  }
  const ready = parseGoDuration(annotations[readyAfterAnnotation]);
  if (ready !== undefined) out.readyAfterMs = ready;
  return out;
}
