/**
 * Services. IP allocation comes later: spec is kept as given, with the real server's
 * defaults (type ClusterIP, sessionAffinity None, port protocol TCP, targetPort = port).
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { arrayAt, defaultTo, ensureObject, isObject, objectAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';

const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const protocols = ['TCP', 'UDP', 'SCTP'];

function portsOf(o: KubeObject): Record<string, unknown>[] {
  const spec = objectAt(o, 'spec');
  return (spec ? arrayAt(spec, 'ports') ?? [] : []).filter(isObject);
}

function portsCell(o: KubeObject): string {
  const ports = portsOf(o).map((p) => {
    const np = typeof p.nodePort === 'number' && p.nodePort > 0 ? `:${p.nodePort}` : '';
    return `${String(p.port)}${np}/${String(p.protocol ?? 'TCP')}`;
  });
  return ports.length ? ports.join(',') : '<none>';
}

function externalIpCell(o: KubeObject): string {
  const spec = objectAt(o, 'spec') ?? {};
  const type = stringAt(spec, 'type') ?? 'ClusterIP';
  const external = (arrayAt(spec, 'externalIPs') ?? []).filter((x): x is string => typeof x === 'string');
  if (type === 'ExternalName') return stringAt(spec, 'externalName') ?? '<none>';
  if (type === 'LoadBalancer') {
    const ingress = (arrayAt(objectAt(objectAt(o, 'status') ?? {}, 'loadBalancer') ?? {}, 'ingress') ?? []).filter(isObject);
    const lb = ingress.map((i) => stringAt(i, 'ip') ?? stringAt(i, 'hostname') ?? '').filter(Boolean);
    const all = [...lb, ...external];
    return all.length ? all.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

function selectorCell(o: KubeObject): string {
  const sel = objectAt(objectAt(o, 'spec') ?? {}, 'selector');
  if (!sel || Object.keys(sel).length === 0) return '<none>';
  return Object.entries(sel)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

export const services = defineResource({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status'],
  nameRule: 'label1035',
  returnDeletedObject: true,
  strategy: {
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      defaultTo(spec, 'type', 'ClusterIP');
      if (spec.type !== 'ExternalName') defaultTo(spec, 'sessionAffinity', 'None');
      if (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer') defaultTo(spec, 'internalTrafficPolicy', 'Cluster');
      for (const p of (arrayAt(spec, 'ports') ?? []).filter(isObject)) {
        defaultTo(p, 'protocol', 'TCP');
        if (spec.type !== 'ExternalName') defaultTo(p, 'targetPort', p.port);
      }
    },
    prepareForCreate(obj) {
      obj.status = { loadBalancer: {} };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate(obj) {
      const errs: FieldError[] = [];
      const spec = objectAt(obj, 'spec');
      if (!spec) return [required('spec')];
      const type = spec.type;
      if (typeof type !== 'string' || !serviceTypes.includes(type)) errs.push(notSupported('spec.type', type, serviceTypes));
      const ports = arrayAt(spec, 'ports') ?? [];
      if (type !== 'ExternalName' && ports.length === 0 && spec.clusterIP !== 'None') errs.push(required('spec.ports'));
      ports.forEach((p, i) => {
        const f = `spec.ports[${i}]`;
        if (!isObject(p)) return errs.push(invalid(f, p, 'must be an object'));
        if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
          errs.push(invalid(`${f}.port`, p.port, 'must be between 1 and 65535, inclusive'));
        }
        if (typeof p.protocol !== 'string' || !protocols.includes(p.protocol)) errs.push(notSupported(`${f}.protocol`, p.protocol, protocols));
        if (ports.length > 1 && !p.name) errs.push(required(`${f}.name`));
        return undefined;
      });
      return errs;
    },
  },
  tableColumns: [
    column('Type', 'string', 'The type of the service', (o) => stringAt(objectAt(o, 'spec') ?? {}, 'type') ?? ''),
    column('Cluster-IP', 'string', 'The cluster IP of the service', (o) => stringAt(objectAt(o, 'spec') ?? {}, 'clusterIP') || '<none>'),
    column('External-IP', 'string', 'The external IPs of the service', externalIpCell),
    column('Port(s)', 'string', 'The ports of the service', portsCell),
    ageColumn,
    column('Selector', 'string', 'The label selector of the service', selectorCell, 1),
  ],
});
