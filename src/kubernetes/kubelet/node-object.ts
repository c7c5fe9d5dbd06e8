/**
 * The Node a kubelet registers and the status it reports: labels the scheduler and the
 * cloud controller read, capacity from the group's size, the four conditions with the
 * kubelet's own reasons and messages, addresses and nodeInfo.
 */
import { createHash } from 'node:crypto';
import type { JsonObject, KubeObject } from '../apiserver/object.js';
import { rfc3339 } from '../apiserver/time.js';
import { region, type NodeIdentity } from './node-identity.js';

export const kubeletVersion = 'v1.33.1';
export const containerRuntimeVersion = 'kos-sim://1.0';
export const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
export const kubeletPort = 10250;

export function nodeLabels(node: NodeIdentity): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': node.group.instanceType,
    'topology.kubernetes.io/region': region,
    'topology.kubernetes.io/zone': node.zone,
  };
  if (node.group.role === 'control-plane') labels['node-role.kubernetes.io/control-plane'] = '';
  return labels;
}

export function nodeSpec(node: NodeIdentity): JsonObject {
  const spec: JsonObject = { podCIDR: node.podCIDR, podCIDRs: [node.podCIDR] };
  if (node.group.role === 'control-plane') spec.taints = [{ ...controlPlaneTaint }];
  return spec;
}

const conditionTexts = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
] as const;

const uuidFrom = (text: string): string => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/**
 * The status the kubelet reports. `transitions` gives each condition's last transition
 * time (kept from the stored node when its status did not change).
 */
export function nodeStatus(node: NodeIdentity, cluster: string, now: number, transitions: ReadonlyMap<string, string>, bootId: string): JsonObject {
  const g = node.group;
  const resources = { cpu: g.cpu, memory: g.memory, pods: String(g.pods), 'ephemeral-storage': g.ephemeralStorage, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
  const heartbeat = rfc3339(now);
  return {
    capacity: resources,
    allocatable: { ...resources },
    conditions: conditionTexts.map(([type, status, reason, message]) => ({
      type,
      status,
      lastHeartbeatTime: heartbeat,
      lastTransitionTime: transitions.get(type) ?? heartbeat,
      reason,
      message,
    })),
    addresses: [
      { type: 'InternalIP', address: node.internalIP },
      { type: 'Hostname', address: node.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: createHash('md5').update(`${cluster}/${node.name}`).digest('hex'),
      systemUUID: uuidFrom(`${cluster}/${node.name}/system`),
      bootID: bootId,
      kernelVersion: '6.8.0-kos',
      osImage: 'kos sim node (Ubuntu 24.04 LTS compatible)',
      containerRuntimeVersion,
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    images: [],
  };
}

/** The boot id of this kubelet process's node (a new boot after a restart, as a reboot would). */
export const newBootId = (cluster: string, name: string, now: number): string => uuidFrom(`${cluster}/${name}/boot/${now}`);

/** Node conditions by type from a stored node. */
export function conditionsOf(node: KubeObject | undefined): Map<string, JsonObject> {
  const status = node?.status as JsonObject | undefined;
  const list = Array.isArray(status?.conditions) ? (status.conditions as JsonObject[]) : [];
  return new Map(list.map((c) => [String(c.type), c]));
}
