/**
 * A pod's nodeSelector and required node affinity against one node (upstream keeps this
 * in component-helpers' nodeaffinity for the same reason): the scheduler's NodeAffinity
 * filter and the DaemonSet controller both ask it, so a daemon pod is made for exactly
 * the nodes the scheduler will bind it to.
 */
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from '../apiserver/object.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** One nodeSelectorTerm: every expression and field expression must hold. */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
  matchFields: NodeSelectorRequirement[];
}

/** What the matching reads of a node. */
export interface NodeLabels {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

const requirements = (list: unknown[] | undefined): NodeSelectorRequirement[] =>
  (list ?? []).filter(isObject).map((r) => ({
    key: stringAt(r, 'key') ?? '',
    operator: stringAt(r, 'operator') ?? '',
    values: (arrayAt(r, 'values') ?? []).filter((v): v is string => typeof v === 'string'),
  }));

export const nodeSelectorTerm = (t: JsonObject): NodeSelectorTerm => ({
  matchExpressions: requirements(arrayAt(t, 'matchExpressions')),
  matchFields: requirements(arrayAt(t, 'matchFields')),
});

/** The terms of spec.affinity.nodeAffinity's required part; undefined when the pod states none. */
export function requiredNodeTermsOf(podSpec: JsonObject): NodeSelectorTerm[] | undefined {
  const nodeAffinity = objectAt(objectAt(podSpec, 'affinity') ?? {}, 'nodeAffinity') ?? {};
  const required = objectAt(nodeAffinity, 'requiredDuringSchedulingIgnoredDuringExecution');
  return required ? (arrayAt(required, 'nodeSelectorTerms') ?? []).filter(isObject).map(nodeSelectorTerm) : undefined;
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || r.values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(r.values[0]!, 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** A term with neither expressions nor fields matches no node, as upstream has it. */
export function termMatchesNode(term: NodeSelectorTerm, node: NodeLabels): boolean {
  if (term.matchExpressions.length === 0 && term.matchFields.length === 0) return false;
  for (const r of term.matchExpressions) if (!requirementMatches(r, node.labels[r.key])) return false;
  for (const r of term.matchFields) {
    if (r.key !== 'metadata.name' || !requirementMatches(r, node.name)) return false;
  }
  return true;
}

/** nodeSelector and the required node affinity terms (any term) both hold. */
export function matchesNodeSelector(
  nodeSelector: Readonly<Record<string, string>> | undefined,
  requiredTerms: readonly NodeSelectorTerm[] | undefined,
  node: NodeLabels,
): boolean {
  if (nodeSelector) for (const k in nodeSelector) if (node.labels[k] !== nodeSelector[k]) return false;
  if (requiredTerms && !requiredTerms.some((t) => termMatchesNode(t, node))) return false;
  return true;
}
