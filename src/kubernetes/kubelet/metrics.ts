/**
 * metrics.k8s.io from the runtime's usage (metrics-server's role): PodMetrics per running
 * pod of this cluster's nodes, NodeMetrics as the sum over the node's pods plus the
 * system's own overhead. Windows and timestamps follow the clock.
 */
import type { Clock } from '../../core/clock.js';
import type { ContainerUsage, RuntimeDriver } from '../../drivers/runtime/types.js';
import type { KubeObject } from '../apiserver/object.js';
import type { MetricsProvider } from '../apiserver/resources/metrics.js';
import { rfc3339 } from '../apiserver/time.js';
import type { PodRecord } from './pod-sync.js';

/** What the node's own daemons use (kubelet, runtime, OS). */
export const systemOverhead: ContainerUsage = { cpu: 0.1, memory: 512 * 2 ** 20 };

const cpuText = (cores: number): string => `${Math.round(cores * 1e9)}n`;
const memoryText = (bytes: number): string => `${Math.round(bytes / 1024)}Ki`;

export interface MetricsSources {
  records(): Iterable<PodRecord>;
  nodeNames(): readonly string[];
  healthy(node: string): boolean;
}

export function runtimeMetrics(driver: RuntimeDriver, sources: MetricsSources, clock: Clock): MetricsProvider {
  const podUsage = (r: PodRecord): { name: string; usage: ContainerUsage }[] => {
    const out: { name: string; usage: ContainerUsage }[] = [];
    for (const c of r.containers.values()) {
      const u = c.view.id ? driver.usage(c.view.id) : undefined;
      if (u) out.push({ name: c.view.name, usage: u });
    }
    return out;
  };
  const meta = (name: string, namespace?: string): KubeObject['metadata'] => ({
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    creationTimestamp: rfc3339(clock.now()),
  });
  return {
    async nodes() {
      const sums = new Map<string, ContainerUsage>();
      for (const name of sources.nodeNames()) if (sources.healthy(name)) sums.set(name, { ...systemOverhead });
      for (const r of sources.records()) {
        const sum = sums.get(r.nodeName);
        if (!sum) continue;
        for (const c of podUsage(r)) {
          sum.cpu += c.usage.cpu;
          sum.memory += c.usage.memory;
        }
      }
      return [...sums].map(([name, u]) => ({
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'NodeMetrics',
        metadata: { ...meta(name), labels: { 'kubernetes.io/hostname': name } },
        timestamp: rfc3339(clock.now()),
        window: '10s',
        usage: { cpu: cpuText(u.cpu), memory: memoryText(u.memory) },
      }));
    },
    async pods(namespace) {
      const out: KubeObject[] = [];
      for (const r of sources.records()) {
        if (namespace !== undefined && r.namespace !== namespace) continue;
        if (!sources.healthy(r.nodeName)) continue;
        const containers = podUsage(r);
        if (containers.length === 0) continue;
        out.push({
          apiVersion: 'metrics.k8s.io/v1beta1',
          kind: 'PodMetrics',
          metadata: { ...meta(r.name, r.namespace), ...(r.labels ? { labels: r.labels } : {}) },
          timestamp: rfc3339(clock.now()),
          window: '30s',
          containers: containers.map((c) => ({ name: c.name, usage: { cpu: cpuText(c.usage.cpu), memory: memoryText(c.usage.memory) } })),
        });
      }
      return out;
    },
  };
}
