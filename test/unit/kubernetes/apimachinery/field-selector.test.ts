import { describe, expect, it } from 'vitest';
import { isKosError } from '../../../../src/core/errors.js';
import {
  FieldSelector,
  escapeFieldValue,
  parseFieldTerms,
  selectableFields,
} from '../../../../src/kubernetes/apimachinery/index.js';
import type { GroupVersionKind } from '../../../../src/kubernetes/apimachinery/index.js';

const pod: GroupVersionKind = { group: '', version: 'v1', kind: 'Pod' };
const node: GroupVersionKind = { group: '', version: 'v1', kind: 'Node' };
const event: GroupVersionKind = { group: '', version: 'v1', kind: 'Event' };
const job: GroupVersionKind = { group: 'batch', version: 'v1', kind: 'Job' };
const configMap: GroupVersionKind = { group: '', version: 'v1', kind: 'ConfigMap' };
const replicaSet: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };

function errorOf(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (isKosError(e)) return { status: e.status, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

const runningPod = {
  metadata: { name: 'web-1', namespace: 'prod' },
  spec: { nodeName: 'node-a', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.7' }] },
};

describe('field selector parsing', () => {
  it('splits terms, accepts =, == and !=, and sorts them', () => {
    expect(parseFieldTerms('metadata.namespace!=kube-system,metadata.name==x,status.phase=Running')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'x' },
      { field: 'metadata.namespace', operator: '!=', value: 'kube-system' },
      { field: 'status.phase', operator: '=', value: 'Running' },
    ]);
  });

  it('unescapes values and keeps escaped commas inside a term', () => {
    expect(parseFieldTerms('metadata.name=a\\,b\\=c\\\\d')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a,b=c\\d' },
    ]);
    expect(escapeFieldValue('a,b=c\\d')).toBe('a\\,b\\=c\\\\d');
  });

  it.each([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['metadata.name=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['metadata.name=a\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['metadata.name=a\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j with 400 %j', (input, message) => {
    expect(errorOf(() => parseFieldTerms(input))).toEqual({ status: 400, message });
  });
});

describe('field selector per kind', () => {
  it.each([
    [pod, 'spec.nodeName=node-a,status.phase!=Failed', true],
    [pod, 'spec.host=node-a', true],
    [pod, 'status.podIP=10.0.0.7', true],
    [pod, 'spec.hostNetwork=false', true],
    [pod, 'metadata.namespace=prod,metadata.name=web-2', false],
    [pod, 'spec.restartPolicy=Never', false],
    [pod, 'status.nominatedNodeName=', true],
  ])('%o %j matches the running pod: %s', (gvk, selector, expected) => {
    expect(FieldSelector.parse(selector, gvk).matches(runningPod)).toBe(expected);
  });

  it.each([
    [pod, 'spec.containers=x', 'field label not supported: spec.containers'],
    [node, 'metadata.namespace=x', 'field label not supported: metadata.namespace'],
    [job, 'status.active=1', 'field label "status.active" not supported for batchv1.Job'],
    [configMap, 'data.x=1', '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    [replicaSet, 'status.replicas=1', '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    // The server checks terms in sorted order, so the first unsupported one named is alphabetical.
    [pod, 'zz=1,aa=2', 'field label not supported: aa'],
  ])('%o rejects %j with 400', (gvk, selector, message) => {
    expect(errorOf(() => FieldSelector.parse(selector, gvk))).toEqual({ status: 400, message });
  });

  it('matches events by involvedObject and falls back from source to the reporting controller', () => {
    const ev = {
      metadata: { name: 'e1', namespace: 'prod' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'prod', uid: 'u1' },
      reason: 'Scheduled',
      type: 'Normal',
      reportingComponent: 'default-scheduler',
    };
    expect(FieldSelector.parse('involvedObject.kind=Pod,involvedObject.name=web-1', event).matches(ev)).toBe(true);
    expect(FieldSelector.parse('source=default-scheduler', event).matches(ev)).toBe(true);
    expect(FieldSelector.parse('involvedObject.uid=u2', event).matches(ev)).toBe(false);
    expect(selectableFields(event, ev)['reportingComponent']).toBe('default-scheduler');
  });

  it('renders booleans and counts as Go does', () => {
    expect(FieldSelector.parse('spec.unschedulable=true', node).matches({ spec: { unschedulable: true } })).toBe(true);
    expect(FieldSelector.parse('spec.unschedulable=false', node).matches({ metadata: { name: 'n' } })).toBe(true);
    expect(FieldSelector.parse('status.successful=2', job).matches({ status: { succeeded: 2 } })).toBe(true);
    expect(FieldSelector.parse('status.successful=0', job).matches({})).toBe(true);
  });

  it('accepts a custom resource selectable field when the CRD declares it', () => {
    const widget: GroupVersionKind = { group: 'example.com', version: 'v1', kind: 'Widget' };
    const selector = FieldSelector.parse('spec.color=blue', widget, ['spec.color']);
    expect(selector.matches({ spec: { color: 'blue' } })).toBe(true);
    expect(selector.matches({ spec: { color: 'red' } })).toBe(false);
    expect(errorOf(() => FieldSelector.parse('spec.size=1', widget, ['spec.color'])).message).toBe(
      '"spec.size" is not a known field selector: only "metadata.name", "metadata.namespace", "spec.color"',
    );
  });

  it('reports the pinned value and prints the canonical form', () => {
    const selector = FieldSelector.parse('spec.host=n1,metadata.name!=x', pod);
    expect(selector.requiresExactMatch('spec.nodeName')).toBe('n1');
    expect(selector.requiresExactMatch('metadata.name')).toBeUndefined();
    expect(selector.toString()).toBe('metadata.name!=x,spec.nodeName=n1');
    expect(FieldSelector.parse('', pod).isEmpty()).toBe(true);
  });
});
