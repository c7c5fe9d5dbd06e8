/** The kinds the quota tracker counts, each with its usage function and shared informer. */
import { objectAt, type KubeObject } from '../../../apiserver/object.js';
import type { ResourceDefinition } from '../../../apiserver/resource.js';
import { configmaps } from '../../../apiserver/resources/configmaps.js';
import { cronjobs } from '../../../apiserver/resources/cronjobs.js';
import { daemonsets } from '../../../apiserver/resources/daemonsets.js';
import { deployments } from '../../../apiserver/resources/deployments.js';
import { jobs } from '../../../apiserver/resources/jobs.js';
import { persistentvolumeclaims } from '../../../apiserver/resources/persistentvolumeclaims.js';
import { pods } from '../../../apiserver/resources/pods.js';
import { replicasets } from '../../../apiserver/resources/replicasets.js';
import { resourcequotas } from '../../../apiserver/resources/resourcequotas.js';
import { secrets } from '../../../apiserver/resources/secrets.js';
import { services } from '../../../apiserver/resources/services.js';
import { statefulsets } from '../../../apiserver/resources/statefulsets.js';
import type { SharedInformers } from '../../shared-informers.js';
import { indexByNamespace } from '../indexes.js';
import type { TrackedKind } from './tracker.js';
import { claimUsage, countUsage, notPod, podScope, podUsage, serviceUsage } from './usage.js';

const phaseOf = (o: KubeObject): unknown => objectAt(o, 'status')?.phase;
const countedOnly: { def: ResourceDefinition; legacy?: string }[] = [
  { def: configmaps, legacy: 'configmaps' },
  { def: secrets, legacy: 'secrets' },
  { def: resourcequotas, legacy: 'resourcequotas' },
  { def: deployments },
  { def: replicasets },
  { def: statefulsets },
  { def: daemonsets },
  { def: jobs },
  { def: cronjobs },
];

/**
 * Tracked kinds keyed `<group>/<plural>`, their informers indexed by namespace; on demand,
 * they start only when the tracker first needs them (UsageTracker.waitForSync).
 */
export function trackedKinds(informers: SharedInformers, onDemand = false): Map<string, TrackedKind> {
  const kinds = new Map<string, TrackedKind>();
  const add = (def: ResourceDefinition, kind: Omit<TrackedKind, 'plural' | 'informer'>): void => {
    const informer = onDemand ? informers.forKindOnDemand(def) : informers.forKind(def);
    indexByNamespace(informer);
    kinds.set(`${def.group}/${def.plural}`, { plural: def.plural, informer, ...kind });
  };
  add(pods, { usage: podUsage, scope: podScope, usageMayChange: (old, next) => phaseOf(old) !== phaseOf(next) });
  add(services, { usage: serviceUsage, scope: () => notPod, usageMayChange: (old, next) => JSON.stringify(old.spec) !== JSON.stringify(next.spec) });
  add(persistentvolumeclaims, { usage: claimUsage, scope: () => notPod, usageMayChange: (old, next) => JSON.stringify(objectAt(old, 'spec')?.resources) !== JSON.stringify(objectAt(next, 'spec')?.resources) });
  for (const { def, legacy } of countedOnly) {
    const usage = countUsage(legacy ? { plural: def.plural, group: def.group, legacy } : { plural: def.plural, group: def.group });
    add(def, { usage: () => usage, scope: () => notPod });
  }
  return kinds;
}
