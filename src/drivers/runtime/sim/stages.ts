/**
 * The sim runtime's stages, kwok-style: each step of a container's life (sandbox, create,
 * start, stop) takes a delay plus a uniformly drawn jitter before it reaches its next
 * state. All zero by default — an instant cluster — and drawn from a seeded random
 * source, so a run with delays still replays.
 */
import { seededRandom } from '../../../core/random.js';

export { seededRandom };

export interface Stage {
  /** Fixed time the step takes (ms). */
  delayMs: number;
  /** Extra time drawn uniformly from [0, jitterMs). */
  jitterMs: number;
}

export interface SimStages {
  /** Network namespace and IP: ready → the pod's PodReadyToStartContainers. */
  sandbox: Stage;
  /** Image pull and create: ContainerCreating → created. */
  create: Stage;
  /** created → running. */
  start: Stage;
  /** Running → exited after a stop request (bounded by the grace period). */
  stop: Stage;
}

const instant: Stage = { delayMs: 0, jitterMs: 0 };

export const instantStages: SimStages = { sandbox: instant, create: instant, start: instant, stop: instant };

/** How long one pass through a stage takes. */
export function stageDuration(stage: Stage, random: () => number): number {
  return stage.delayMs + (stage.jitterMs > 0 ? Math.floor(random() * stage.jitterMs) : 0);
}
