/**
 * Leases (coordination.k8s.io/v1): node heartbeats in kube-node-lease and leader election
 * locks. Durations are positive, transition counts non-negative.
 */
import { invalid, notSupported, type FieldError } from '../field-errors.js';
import { stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { specOf, validateMinimum } from './workload.js';

const strategies = ['OldestEmulationVersion'];

function validateLease(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = [...validateMinimum(spec, 'leaseTransitions', 'spec.leaseTransitions')];
  const d = spec.leaseDurationSeconds;
  if (d != null && (typeof d !== 'number' || !Number.isInteger(d) || d <= 0)) errs.push(invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  if (spec.strategy != null && !strategies.includes(String(spec.strategy))) errs.push(notSupported('spec.strategy', spec.strategy, strategies));
  return errs;
}

export const leases = defineResource({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  strategy: { validate: validateLease },
  tableColumns: [column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.', (o) => stringAt(specOf(o), 'holderIdentity') ?? ''), ageColumn],
});
