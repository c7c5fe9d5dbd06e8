/**
 * PodDisruptionBudgets (policy/v1): minAvailable or maxUnavailable (never both), each an
 * integer or a percentage; a status subresource the disruption controller fills and the
 * eviction subresource of pods consults.
 */
import { invalid, notSupported, type FieldError } from '../field-errors.js';
import { objectAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { intOrPercentProblem, specOf, statusNumber } from './workload.js';

const evictionPolicies = ['AlwaysAllow', 'IfHealthyBudget'];

function validatePDB(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) errs.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (spec[f] == null) continue;
    const p = intOrPercentProblem(spec[f], `spec.${f}`);
    if (p) errs.push(p);
  }
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy != null && !evictionPolicies.includes(String(policy))) errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, evictionPolicies));
  const selector = spec.selector;
  if (selector != null && objectAt(spec, 'selector') === undefined) errs.push(invalid('spec.selector', selector, 'must be a label selector'));
  return errs;
}

const intOrPercentCell = (v: unknown): string => (v == null ? 'N/A' : String(v));

export const poddisruptionbudgets = defineResource({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: ['status'],
  strategy: {
    generationFields: ['spec'],
    prepareForCreate(obj) {
      obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: validatePDB,
  },
  tableColumns: [
    column('Min Available', 'string', 'The minimum number of pods that must be available.', (o) => intOrPercentCell(specOf(o).minAvailable)),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.', (o) => intOrPercentCell(specOf(o).maxUnavailable)),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.', (o) => statusNumber(o, 'disruptionsAllowed')),
    ageColumn,
  ],
});
