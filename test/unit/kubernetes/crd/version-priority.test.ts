import { describe, expect, it } from 'vitest';
import { compareVersionPriority } from '../../../../src/kubernetes/apiserver/crd/custom-resource.js';

describe('version priority', () => {
  it('orders GA, beta, alpha, then other names', () => {
    const names = ['foo', 'v1alpha1', 'v2beta1', 'v1', 'v11alpha2', 'v1beta2', 'v2', 'bar', 'v1beta1'];
    expect(names.sort(compareVersionPriority)).toEqual(['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v11alpha2', 'v1alpha1', 'bar', 'foo']);
  });
});
