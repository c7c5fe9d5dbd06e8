/**
 * Which container of a pod a log, exec or attach request means: the one named by the
 * `container` parameter, or the only one; the real server's messages otherwise.
 */
import { arrayAt, isObject, objectAt, stringAt, type KubeObject } from '../object.js';
import { badRequest } from '../status.js';

const namesIn = (spec: Record<string, unknown>, list: string): string[] =>
  (arrayAt(spec, list) ?? []).filter(isObject).map((c) => stringAt(c, 'name') ?? '');

export function chooseContainer(pod: KubeObject, requested: string | undefined): string {
  const spec = objectAt(pod, 'spec') ?? {};
  const containers = namesIn(spec, 'containers');
  const init = namesIn(spec, 'initContainers');
  const ephemeral = namesIn(spec, 'ephemeralContainers');
  const podName = pod.metadata.name ?? '';
  if (requested) {
    if ([...containers, ...init, ...ephemeral].includes(requested)) return requested;
    throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  }
  if (containers.length === 1) return containers[0]!;
  let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
  if (init.length) message += ` or one of the init containers: [${init.join(' ')}]`;
  if (ephemeral.length) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
  throw badRequest(message);
}
