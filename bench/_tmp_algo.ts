import { labelSelectorFromObject } from '../src/kubernetes/apimachinery/index.js';
import { ScheduleAlgorithm } from '../src/kubernetes/scheduler/algorithm.js';
import { SchedulerCache } from '../src/kubernetes/scheduler/cache.js';
import { podInfoFrom } from '../src/kubernetes/scheduler/pod-info.js';
const cache = new SchedulerCache();
for (let i = 0; i < 5000; i++) {
  const a = { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '500Gi' };
  cache.upsertNode({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, labels: { 'kubernetes.io/hostname': `n${i}`, 'topology.kubernetes.io/zone': `az${i % 3}` } }, spec: {}, status: { allocatable: a } });
}
const sels = Array.from({ length: 100 }, (_, r) => labelSelectorFromObject({ matchLabels: { app: `a${r}` } }));
const algo = new ScheduleAlgorithm(cache, (p) => sels[Number(p.labels.app!.slice(1))]);
const N = 20000;
const infos = Array.from({ length: N }, (_, i) => podInfoFrom({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}`, labels: { app: `a${i % 100}` }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'x', controller: true }] }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } }));
const times: number[] = [];
const t0 = performance.now();
for (const p of infos) {
  const t = performance.now();
  const r = algo.schedule(p);
  if ('node' in r) cache.addPod({ ...p, nodeName: r.node.name }, true);
  times.push(performance.now() - t);
}
const total = performance.now() - t0;
times.sort((a, b) => a - b);
console.log('decisions/s', (N / total * 1000).toFixed(0), 'p50', times[N / 2]!.toFixed(3), 'p99', times[Math.floor(N * 0.99)]!.toFixed(3));
