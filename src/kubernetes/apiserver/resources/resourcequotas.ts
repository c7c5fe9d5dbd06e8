/**
 * ResourceQuotas (core/v1): hard limits per namespace, well-formed non-negative
 * quantities; the quota controller fills status.hard and status.used, which the
 * REQUEST and LIMIT columns show as `used/hard`.
 */
import { notSupported, type FieldError } from '../field-errors.js';
import { arrayAt, objectAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { validateResourceList } from './access-modes.js';
import { column } from './columns.js';
import { specOf, statusOf } from './workload.js';

const scopes = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];

function validateQuota(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = validateResourceList(spec.hard, 'spec.hard');
  (arrayAt(spec, 'scopes') ?? []).forEach((s, i) => {
    if (!scopes.includes(String(s))) errs.push(notSupported(`spec.scopes[${i}]`, s, scopes));
  });
  return errs;
}

/** `used/hard` per resource, requests (or bare names) in one column and `limits.*` in the other. */
function usage(o: KubeObject, limits: boolean): string {
  const hard = objectAt(statusOf(o), 'hard') ?? {};
  const used = objectAt(statusOf(o), 'used') ?? {};
  return Object.keys(hard)
    .sort()
    .filter((r) => r.startsWith('limits.') === limits)
    .map((r) => `${r}: ${String(used[r] ?? '0')}/${String(hard[r])}`)
    .join(', ');
}

export const resourcequotas = defineResource({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  subresources: ['status'],
  strategy: {
    prepareForCreate(obj) {
      obj.status = {};
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: validateQuota,
  },
  tableColumns: [
    ageColumn,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.', (o) => usage(o, false)),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.', (o) => usage(o, true)),
  ],
});
