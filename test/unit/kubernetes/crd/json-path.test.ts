import { describe, expect, it } from 'vitest';
import { evaluateJsonPath } from '../../../../src/kubernetes/apiserver/crd/index.js';

const obj = {
  spec: { replicas: 3, 'dotted.key': 'd' },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] },
};

describe('printer-column JSONPath', () => {
  it('follows fields, indexes, quoted keys and braces', () => {
    expect(evaluateJsonPath(obj, '.spec.replicas')).toEqual([3]);
    expect(evaluateJsonPath(obj, '{.status.conditions[1].type}')).toEqual(['Synced']);
    expect(evaluateJsonPath(obj, ".spec['dotted.key']")).toEqual(['d']);
  });

  it('filters lists by a field value', () => {
    expect(evaluateJsonPath(obj, '.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(evaluateJsonPath(obj, '.status.conditions[*].type')).toEqual(['Ready', 'Synced']);
  });

  it('finds nothing on a missing path or unsupported syntax', () => {
    expect(evaluateJsonPath(obj, '.spec.missing.deeper')).toEqual([]);
    expect(evaluateJsonPath(obj, '.spec..replicas')).toEqual([]);
  });
});
