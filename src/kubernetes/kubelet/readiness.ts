/**
 * When a running container turns ready: at once without a readiness probe, else after
 * the probe's initialDelaySeconds (the sim's probes always succeed); the pod's
 * sim.kos.dev/ready-after annotation overrides both.
 */
import { parseGoDuration, readyAfterAnnotation } from '../../drivers/runtime/sim/steering.js';
import { numberAt, objectAt, type JsonObject, type KubeObject } from '../apiserver/object.js';

export function readinessDelayMs(pod: KubeObject, container: JsonObject): number {
  const steered = parseGoDuration(pod.metadata.annotations?.[readyAfterAnnotation]);
  if (steered !== undefined) return steered;
  const probe = objectAt(container, 'readinessProbe');
  return probe ? (numberAt(probe, 'initialDelaySeconds') ?? 0) * 1000 : 0;
}
