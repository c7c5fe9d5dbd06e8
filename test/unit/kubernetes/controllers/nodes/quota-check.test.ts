import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../../src/kubernetes/apiserver/object.js';
import { exceededMessage, missingResources } from '../../../../../src/kubernetes/controllers/nodes/quota/check.js';
import { claimUsage, podScope, podUsage, scopesMatch, serviceUsage } from '../../../../../src/kubernetes/controllers/nodes/quota/usage.js';

const pod = (containers: unknown[], extra: Record<string, unknown> = {}, phase = 'Pending'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers, ...extra },
  status: { phase },
});
const c = (name: string, requests?: Record<string, string>, limits?: Record<string, string>): Record<string, unknown> => ({
  name,
  image: 'x',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

describe('quota usage', () => {
  it('sums container requests and limits, raised to the largest init container', () => {
    const p = pod([c('a', { cpu: '500m', memory: '1Gi' }, { cpu: '1' }), c('b', { cpu: '250m' })], { initContainers: [c('init', { cpu: '2' })] });
    const u = podUsage(p);
    expect(Object.fromEntries(u.values)).toEqual({ 'count/pods': 1, pods: 1, 'requests.cpu': 2, cpu: 2, 'requests.memory': 2 ** 30, memory: 2 ** 30, 'limits.cpu': 1 });
    expect(u.binary.has('requests.memory')).toBe(true);
  });

  it('counts a finished pod only under count/pods', () => {
    expect(Object.fromEntries(podUsage(pod([c('a', { cpu: '1' })], {}, 'Succeeded')).values)).toEqual({ 'count/pods': 1 });
  });

  it('counts node ports and load balancers of services and storage of claims', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] } };
    expect(Object.fromEntries(serviceUsage(svc).values)).toEqual({ services: 1, 'count/services': 1, 'services.nodeports': 2 });
    const lb = { ...svc, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
    expect(Object.fromEntries(serviceUsage(lb).values)).toMatchObject({ 'services.loadbalancers': 1, 'services.nodeports': 1 });
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } } };
    expect(Object.fromEntries(claimUsage(pvc).values)).toEqual({
      persistentvolumeclaims: 1,
      'count/persistentvolumeclaims': 1,
      'requests.storage': 5 * 2 ** 30,
      'fast.storageclass.storage.k8s.io/persistentvolumeclaims': 1,
      'fast.storageclass.storage.k8s.io/requests.storage': 5 * 2 ** 30,
    });
  });

  it('classifies pods for quota scopes', () => {
    const bestEffort = podScope(pod([c('a')]));
    const burstable = podScope(pod([c('a', { cpu: '1' })], { activeDeadlineSeconds: 30 }));
    expect(scopesMatch(['BestEffort'], bestEffort)).toBe(true);
    expect(scopesMatch(['NotBestEffort'], bestEffort)).toBe(false);
    expect(scopesMatch(['NotBestEffort', 'Terminating'], burstable)).toBe(true);
    expect(scopesMatch(['NotTerminating'], burstable)).toBe(false);
  });
});

describe('quota admission messages', () => {
  it('names the resources containers leave unset, sorted, with their containers', () => {
    const p = pod([c('web', { cpu: '1' }), c('sidecar')], { initContainers: [c('init', { memory: '1Mi' }, { cpu: '1' })] });
    expect(missingResources(p, ['limits.cpu', 'cpu', 'pods'])).toBe('must specify cpu for: init,sidecar; limits.cpu for: sidecar,web');
    expect(missingResources(p, ['pods', 'requests.storage'])).toBeUndefined();
    expect(missingResources(pod([c('nginx')]), ['cpu', 'memory'])).toBe('must specify cpu for: nginx; memory for: nginx');
  });

  it('prints requested, used and limited for the resources over the limit only', () => {
    const usage = podUsage(pod([c('a', { cpu: '2', memory: '1Gi' })]));
    const used = new Map([
      ['requests.cpu', 1],
      ['pods', 1],
      ['requests.memory', 0],
    ]);
    const msg = exceededMessage({ name: 'compute', hard: { 'requests.cpu': '2', pods: '10', 'requests.memory': '4Gi' } }, usage, used, () => true);
    expect(msg).toBe('exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2');
    const mem = exceededMessage({ name: 'm', hard: { 'requests.memory': '1536Mi' } }, usage, new Map([['requests.memory', 2 ** 30]]), () => true);
    expect(mem).toBe('exceeded quota: m, requested: requests.memory=1Gi, used: requests.memory=1Gi, limited: requests.memory=1536Mi');
    expect(exceededMessage({ name: 'ok', hard: { 'requests.cpu': '3' } }, usage, new Map([['requests.cpu', 1]]), () => true)).toBeUndefined();
  });
});
