import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/kubernetes/apiserver/object.js';
import { chooseContainer } from '../../../../src/kubernetes/apiserver/streaming/container-choice.js';

const pod = (containers: string[], init: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
});

describe('chooseContainer', () => {
  it('takes the only container when none is named', () => {
    expect(chooseContainer(pod(['app']), undefined)).toBe('app');
  });

  it('takes a named container, init containers included', () => {
    expect(chooseContainer(pod(['a', 'b'], ['setup']), 'b')).toBe('b');
    expect(chooseContainer(pod(['a', 'b'], ['setup']), 'setup')).toBe('setup');
  });

  it('asks for a name when there are several, with the real message', () => {
    expect(() => chooseContainer(pod(['a', 'b']), undefined)).toThrow('a container name must be specified for pod p, choose one of: [a b]');
    expect(() => chooseContainer(pod(['a', 'b'], ['i']), '')).toThrow('choose one of: [a b] or one of the init containers: [i]');
  });

  it('refuses a container the pod does not have', () => {
    expect(() => chooseContainer(pod(['a']), 'zz')).toThrow('container zz is not valid for pod p');
  });
});
