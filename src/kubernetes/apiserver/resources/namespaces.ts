/**
 * Namespaces. Cluster-scoped, named by DNS-1123 labels, labelled with their own name
 * (kubernetes.io/metadata.name) so selectors can target them, Active until deleted.
 * Deletion is handled in namespace-deletion.ts.
 */
import { forbiddenField } from '../field-errors.js';
import { ensureObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { column } from './columns.js';

export const namespaceNameLabel = 'kubernetes.io/metadata.name';

/** Namespaces that exist from the start and may never be deleted. */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

function labelWithName(obj: KubeObject): void {
  if (obj.metadata.name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [namespaceNameLabel]: obj.metadata.name };
}

export const namespaces = defineResource({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  subresources: ['status'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  nameRule: 'label',
  strategy: {
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (spec && spec.finalizers === undefined) spec.finalizers = ['kubernetes'];
      labelWithName(obj);
    },
    prepareForCreate(obj) {
      obj.status = { phase: 'Active' };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
      next.spec = old.spec;
    },
    validateUpdate(next, old) {
      return next.metadata.labels?.[namespaceNameLabel] === old.metadata.name
        ? []
        : [forbiddenField(`metadata.labels[${namespaceNameLabel}]`, 'may not be changed')];
    },
  },
  tableColumns: [
    column('Status', 'string', 'The status of the namespace', (o) => {
      const status = o.status as { phase?: unknown } | undefined;
      return typeof status?.phase === 'string' ? status.phase : '';
    }),
  ],
});
