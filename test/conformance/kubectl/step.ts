// One step of the kubectl scenario: a kubectl invocation and what its exit code and output
// must look like on a real API server. Steps run in order and build on each other, so an
// area's file reads as a short session at a terminal.

/** A value somewhere in kubectl's JSON output (`-o json`), addressed by a dotted path. */
export interface JsonCheck {
  /** `items.0.metadata.name`, `data.a`; numeric segments index arrays. */
  readonly path: string;
  /** Deep equality with this value (compared as JSON). */
  readonly equals?: unknown;
  /** The value, as a string (JSON for non-strings), matches. */
  readonly matches?: RegExp;
  /** Only that something is there. */
  readonly exists?: boolean;
}

export interface StepExpectation {
  /** Expected exit code; 0 unless said. Not checked for a step stopped by `stopAfterMs`. */
  readonly code?: number;
  /** Every regex must match stdout. */
  readonly stdout?: readonly RegExp[];
  /** No regex may match stdout. */
  readonly notStdout?: readonly RegExp[];
  readonly stderr?: readonly RegExp[];
  /** stdout parsed as JSON, then these values checked. */
  readonly json?: readonly JsonCheck[];
}

export interface Step {
  /** Unique within its area; `<area>/<id>` names the step in reports and --regex. */
  readonly id: string;
  /** kubectl's arguments (the kubeconfig comes from the environment). */
  readonly args: readonly string[];
  /** Written to kubectl's stdin (manifests for `-f -`). */
  readonly stdin?: string;
  readonly expect: StepExpectation;
  /**
   * For commands that never end by themselves (`get -w`, `port-forward`, `logs -f`): stop
   * kubectl after this long and check what it printed so far. It is also stopped as soon
   * as stdout matches every `expect.stdout` regex.
   */
  readonly stopAfterMs?: number;
  /** Kill kubectl after this long and fail the step (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * Values later steps need (a uid for an ownerReference): variable name → JSON path into
   * this step's stdout. Later args and stdin refer to them as `${name}`.
   */
  readonly save?: Readonly<Record<string, string>>;
}

/** One file of steps: an area of kubectl (apply, get, patch, …). */
export interface Area {
  readonly name: string;
  readonly steps: readonly Step[];
}

/** A namespace of the scenario's own, so nothing collides with what kos creates. */
export const NS = 'conformance';
