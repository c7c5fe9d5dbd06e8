/** Nodes: cluster-scoped; kubelets (a later piece) register them and report status. */
import { arrayAt, isObject, objectAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';

const roleLabelPrefix = 'node-role.kubernetes.io/';

function statusCell(o: KubeObject): string {
  const conditions = (arrayAt(objectAt(o, 'status') ?? {}, 'conditions') ?? []).filter(isObject);
  const ready = conditions.find((c) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown'];
  if (objectAt(o, 'spec')?.unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function rolesCell(o: KubeObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith(roleLabelPrefix))
    .map((k) => k.slice(roleLabelPrefix.length))
    .filter(Boolean);
  const legacy = o.metadata.labels?.['kubernetes.io/role'];
  if (legacy) roles.push(legacy);
  return roles.length ? [...new Set(roles)].sort().join(',') : '<none>';
}

const nodeInfo = (o: KubeObject, field: string): string => stringAt(objectAt(objectAt(o, 'status') ?? {}, 'nodeInfo') ?? {}, field) ?? '';

function addressCell(type: string): (o: KubeObject) => string {
  return (o) => {
    const addrs = (arrayAt(objectAt(o, 'status') ?? {}, 'addresses') ?? []).filter(isObject);
    const found = addrs.filter((a) => a.type === type).map((a) => String(a.address));
    return found.length ? found.join(',') : '<none>';
  };
}

export const nodes = defineResource({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['status'],
  returnDeletedObject: false,
  strategy: {
    prepareForCreate(obj) {
      if (!isObject(obj.status)) obj.status = {};
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
  },
  tableColumns: [
    column('Status', 'string', 'The status of the node', statusCell),
    column('Roles', 'string', 'The roles of the node', rolesCell),
    ageColumn,
    column('Version', 'string', 'Kubelet Version reported by the node.', (o) => nodeInfo(o, 'kubeletVersion')),
    column('Internal-IP', 'string', 'List of internal IPs in the node', addressCell('InternalIP'), 1),
    column('External-IP', 'string', 'List of external IPs in the node', addressCell('ExternalIP'), 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', (o) => nodeInfo(o, 'osImage') || '<unknown>', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", (o) => nodeInfo(o, 'kernelVersion') || '<unknown>', 1),
    column('Container-Runtime', 'string', 'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).', (o) => nodeInfo(o, 'containerRuntimeVersion') || '<unknown>', 1),
  ],
});
