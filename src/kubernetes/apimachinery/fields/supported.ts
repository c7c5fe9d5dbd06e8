/**
 * Which field labels each kind accepts in a field selector, and the error for any other,
 * as the API server's field label conversion functions have them (pkg/apis/core/v1 and
 * batch/v1 conversion.go). Kinds without a table accept only metadata.name and
 * metadata.namespace, with the scheme's default message.
 */
import { badRequest } from '../errors.js';
import { groupKindKey } from '../gvk.js';
import type { GroupVersionKind } from '../gvk.js';
import type { FieldTerm } from './parser.js';

export interface FieldLabelPolicy {
  /** Field labels the kind accepts, after aliases are resolved. */
  readonly supported: readonly string[];
  /** Legacy spellings the server rewrites (pods: spec.host → spec.nodeName). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** The error the server gives for any other label. */
  readonly unsupported: (label: string) => string;
}

const notSupported = (label: string): string => `field label not supported: ${label}`;

const defaultPolicy: FieldLabelPolicy = {
  supported: ['metadata.name', 'metadata.namespace'],
  unsupported: (label) => `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

const eventFields = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
  'metadata.namespace',
  'metadata.name',
];

const policies: ReadonlyMap<string, FieldLabelPolicy> = new Map<string, FieldLabelPolicy>([
  [
    '/Pod',
    {
      supported: [
        'metadata.name',
        'metadata.namespace',
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        'status.nominatedNodeName',
      ],
      aliases: { 'spec.host': 'spec.nodeName' },
      unsupported: notSupported,
    },
  ],
  // Cluster-scoped: the server's tables leave metadata.namespace out for these two.
  ['/Node', { supported: ['metadata.name', 'spec.unschedulable'], unsupported: notSupported }],
  ['/Namespace', { supported: ['status.phase', 'metadata.name'], unsupported: notSupported }],
  ['/Event', { supported: eventFields, unsupported: notSupported }],
  ['/Secret', { supported: ['type', 'metadata.namespace', 'metadata.name'], unsupported: notSupported }],
  [
    '/Service',
    { supported: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'], unsupported: notSupported },
  ],
  [
    '/ReplicationController',
    { supported: ['metadata.name', 'metadata.namespace', 'status.replicas'], unsupported: notSupported },
  ],
  [
    'batch/Job',
    {
      supported: ['metadata.name', 'metadata.namespace', 'status.successful'],
      unsupported: (label) => `field label ${JSON.stringify(label)} not supported for batchv1.Job`,
    },
  ],
]);

/**
 * The policy for a kind. A custom resource passes its CRD's `selectableFields` (as field
 * labels such as `spec.color`) to accept them beside the metadata ones.
 */
export function fieldLabelPolicyFor(gvk: GroupVersionKind, selectableFields: readonly string[] = []): FieldLabelPolicy {
  const known = policies.get(groupKindKey(gvk));
  if (known) return known;
  if (selectableFields.length === 0) return defaultPolicy;
  return {
    supported: [...defaultPolicy.supported, ...selectableFields],
    unsupported: (label) =>
      `${JSON.stringify(label)} is not a known field selector: only ${[...defaultPolicy.supported, ...selectableFields]
        .map((f) => JSON.stringify(f))
        .join(', ')}`,
  };
}

/** Rewrites aliases and rejects unsupported labels with a 400, term by term in sorted order. */
export function convertFieldTerms(terms: readonly FieldTerm[], policy: FieldLabelPolicy): FieldTerm[] {
  return terms.map((term) => {
    const field = policy.aliases?.[term.field] ?? term.field;
    if (!policy.supported.includes(field)) throw badRequest(policy.unsupported(term.field));
    return { ...term, field };
  });
}
