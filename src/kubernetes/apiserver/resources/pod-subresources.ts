/**
 * pods/binding and pods/eviction: the two POST subresources of a pod that change stored
 * state. Binding is the scheduler's write of spec.nodeName; eviction is kubectl drain's
 * delete that asks the pod's PodDisruptionBudget first, as the real server's eviction
 * REST does (pending and finished pods are not protected; a budget not yet observed
 * by its controller, or with no disruptions left, refuses with 429).
 */
import { rfc3339 } from '../time.js';
import { labelSelectorFromObject, type LabelSelectorSpec } from '../../apimachinery/index.js';
import { listObjects } from '../list.js';
import { isObject, objectAt, stringAt, type KubeObject } from '../object.js';
import { parseDeleteOptions, type Registry } from '../registry.js';
import { badRequest, conflict, failure, type StatusObject } from '../status.js';
import { poddisruptionbudgets } from './poddisruptionbudgets.js';
import { pods } from './pods.js';

const created: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

function checkName(body: Record<string, unknown>, name: string, kind: string): void {
  const meta = objectAt(body, 'metadata') ?? {};
  const given = stringAt(meta, 'name');
  if (given !== undefined && given !== '' && given !== name) throw badRequest(`name in URL does not match name in ${kind} object`);
}

/** POST pods/binding: assign the pod to the target node, once. */
export async function bindPod(registry: Registry, namespace: string, name: string, body: unknown, dryRun: boolean): Promise<StatusObject> {
  if (!isObject(body)) throw badRequest('the body of a pods/binding request must be a Binding object');
  checkName(body, name, 'Binding');
  const target = objectAt(body, 'target') ?? {};
  const kind = stringAt(target, 'kind') ?? '';
  if (kind !== '' && kind !== 'Node') throw badRequest('target kind must be Node');
  const node = stringAt(target, 'name') ?? '';
  if (node === '') throw badRequest('target name must be specified');
  // One write, as the real binding does: the node name and the PodScheduled condition.
  const now = rfc3339(registry.clock.now());
  await registry.updateWith(
    pods,
    namespace,
    name,
    (current) => {
      if (current.metadata.deletionTimestamp) throw conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      const spec = objectAt(current, 'spec') ?? {};
      const bound = stringAt(spec, 'nodeName');
      if (bound) throw conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is already assigned to node "${bound}"`);
      const status = objectAt(current, 'status') ?? {};
      const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter((c) => !(isObject(c) && c.type === 'PodScheduled'));
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
      return { ...current, spec: { ...spec, nodeName: node }, status: { ...status, conditions } };
    },
    { dryRun, subresource: 'internal', copyOnWrite: true },
  );
  return created;
}

const tooManyRequests = (cause: string): Error =>
  failure(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });

/** POST pods/eviction: delete the pod unless its disruption budget forbids it now. */
export async function evictPod(registry: Registry, namespace: string, name: string, body: unknown, dryRun: boolean): Promise<StatusObject> {
  if (body !== undefined && !isObject(body)) throw badRequest('the body of a pods/eviction request must be an Eviction object');
  const eviction = body ?? {};
  checkName(eviction, name, 'Eviction');
  const options = parseDeleteOptions(eviction.deleteOptions ?? undefined);
  if (dryRun) options.dryRun = true;
  const pod = await registry.get(pods, namespace, name);
  const phase = stringAt(objectAt(pod, 'status') ?? {}, 'phase');
  // Pods that are not running cannot be disrupted, so no budget protects them.
  const protectedByBudget = phase !== 'Pending' && phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
  if (protectedByBudget) {
    const budgets = (await listObjects(registry, poddisruptionbudgets, namespace, {})).items.filter((pdb) => {
      const selector = objectAt(pdb, 'spec')?.selector;
      return isObject(selector) && labelSelectorFromObject(selector as LabelSelectorSpec).matches(pod.metadata.labels);
    });
    if (budgets.length > 1) {
      throw failure(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    const budget = budgets[0];
    if (budget) await takeDisruption(registry, budget, name, dryRun);
  }
  await registry.delete(pods, namespace, name, options);
  return created;
}

/** Spend one of the budget's allowed disruptions (and remember the pod), or refuse. */
async function takeDisruption(registry: Registry, budget: KubeObject, podName: string, dryRun: boolean): Promise<void> {
  const budgetName = budget.metadata.name ?? '';
  await registry.updateWith(
    poddisruptionbudgets,
    budget.metadata.namespace,
    budgetName,
    (current) => {
      const status = objectAt(current, 'status') ?? {};
      const observed = typeof status.observedGeneration === 'number' ? status.observedGeneration : 0;
      if (observed < (current.metadata.generation ?? 0)) throw tooManyRequests(`The disruption budget ${budgetName} is still being processed by the server.`);
      const allowed = typeof status.disruptionsAllowed === 'number' ? status.disruptionsAllowed : 0;
      if (allowed < 0) throw failure(403, 'Forbidden', 'pdb disruptions allowed is negative');
      if (allowed === 0) {
        const desired = typeof status.desiredHealthy === 'number' ? status.desiredHealthy : 0;
        const healthy = typeof status.currentHealthy === 'number' ? status.currentHealthy : 0;
        throw tooManyRequests(`The disruption budget ${budgetName} needs ${desired} healthy pods and has ${healthy} currently`);
      }
      const disrupted = isObject(status.disruptedPods) ? status.disruptedPods : {};
      const now = new Date(registry.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return { ...current, status: { ...status, disruptionsAllowed: allowed - 1, disruptedPods: { ...disrupted, [podName]: now } } };
    },
    { dryRun, subresource: 'status' },
  );
}
