import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { aggregate, applyDefaults, claimProblems, podProblems } from '../../../../../src/kubernetes/controllers/nodes/limitranger/limits.js';

const lr = (limits: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr' }, spec: { limits } });
const pod = (containers: unknown[], initContainers?: unknown[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers, ...(initContainers ? { initContainers } : {}) },
});
const c = (name: string, requests?: Record<string, string>, limits?: Record<string, string>): Record<string, unknown> => ({
  name,
  image: 'x',
  ...(requests || limits ? { resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } } : {}),
});

describe('LimitRanger defaults', () => {
  it('fills missing requests and limits and says what it set', () => {
    const p = pod([c('web'), c('side', { cpu: '50m' }, { cpu: '100m' })], [c('init')]);
    const note = applyDefaults(p, lr([{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }]));
    const spec = p.spec as { containers: Record<string, unknown>[]; initContainers: Record<string, unknown>[] };
    expect(spec.containers[0]?.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(spec.containers[1]?.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '100m', memory: '256Mi' } });
    expect(note).toBe(
      'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web; memory request for container side; memory limit for container side; cpu, memory request for init container init; cpu, memory limit for init container init',
    );
  });

  it('sets nothing without Container defaults', () => {
    expect(applyDefaults(pod([c('web')]), lr([{ type: 'Pod', max: { cpu: '2' } }]))).toBeUndefined();
  });
});

describe('LimitRanger bounds', () => {
  it('checks container min, max and ratio with upstream messages', () => {
    const range = lr([{ type: 'Container', min: { cpu: '100m' }, max: { cpu: '1', memory: '1Gi' }, maxLimitRequestRatio: { cpu: '2' } }]);
    expect(podProblems(pod([c('a', { cpu: '50m', memory: '1Gi' }, { cpu: '2', memory: '1Gi' })]), range)).toEqual([
      'minimum cpu usage per Container is 100m, but request is 50m',
      'maximum cpu usage per Container is 1, but limit is 2',
      'cpu max limit to request ratio per Container is 2, but provided ratio is 40.000000',
    ]);
    expect(podProblems(pod([c('a')]), range)).toEqual([
      'minimum cpu usage per Container is 100m.  No request is specified',
      'maximum cpu usage per Container is 1.  No limit is specified',
      'maximum memory usage per Container is 1Gi.  No limit is specified',
      'cpu max limit to request ratio per Container is 2, but no request is specified or request is 0',
    ]);
    expect(podProblems(pod([c('a', { cpu: '500m', memory: '512Mi' }, { cpu: '1000m', memory: '1024Mi' })]), range)).toEqual([]);
  });

  it('checks Pod totals', () => {
    const range = lr([{ type: 'Pod', max: { cpu: '1' } }]);
    expect(podProblems(pod([c('a', { cpu: '600m' }, { cpu: '600m' }), c('b', { cpu: '600m' }, { cpu: '600m' })]), range)).toEqual(['maximum cpu usage per Pod is 1, but limit is 1200m']);
  });

  it('checks claim storage against min and max requests', () => {
    const range = lr([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }]);
    const claim = (storage: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { resources: { requests: { storage } } } });
    expect(claimProblems(claim('20Gi'), range)).toEqual(['maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi']);
    expect(claimProblems(claim('500Mi'), range)).toEqual(['minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi']);
    expect(claimProblems(claim('5Gi'), range)).toEqual([]);
  });

  it('aggregates like utilerrors', () => {
    expect(aggregate(['one'])).toBe('one');
    expect(aggregate(['one', 'two', 'one'])).toBe('[one, two]');
  });
});
