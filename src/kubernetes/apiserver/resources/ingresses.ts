/**
 * Ingresses (networking.k8s.io/v1): every HTTP path needs a pathType (Exact and Prefix
 * paths are absolute), every backend names a service with a port or a resource, and an
 * ingress has rules or a default backend. ingressClassName names an IngressClass.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { nameProblem } from '../validation.js';
import { column } from './columns.js';
import { objectsIn, portProblem } from './networking.js';
import { specOf, statusOf } from './workload.js';

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(backend: JsonObject, path: string): FieldError[] {
  const service = objectAt(backend, 'service');
  const resource = objectAt(backend, 'resource');
  if (service && resource) return [invalid(path, backend, 'cannot set both service and resource backends')];
  if (resource) return stringAt(resource, 'kind') && stringAt(resource, 'name') ? [] : [invalid(`${path}.resource`, resource, 'kind and name are required')];
  if (!service) return [invalid(path, backend, 'one backend (service or resource) must be specified')];
  const errs: FieldError[] = [];
  const name = stringAt(service, 'name');
  if (!name) errs.push(required(`${path}.service.name`));
  else {
    const p = nameProblem(name, 'label1035');
    if (p) errs.push(invalid(`${path}.service.name`, name, p));
  }
  const port = objectAt(service, 'port');
  const hasNumber = port?.number !== undefined;
  const hasName = port?.name !== undefined;
  if (!port || hasNumber === hasName) errs.push(invalid(`${path}.service.port`, port, 'port name or number is required'));
  else {
    const p = portProblem(hasNumber ? port.number : port.name, `${path}.service.port.${hasNumber ? 'number' : 'name'}`);
    if (p) errs.push(p);
  }
  return errs;
}

function validateRules(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(spec.rules).forEach((rule, i) => {
    const rp = `spec.rules[${i}]`;
    const host = rule.host;
    if (host !== undefined && (typeof host !== 'string' || nameProblem(host.replace(/^\*\./, ''), 'subdomain'))) {
      errs.push(invalid(`${rp}.host`, host, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
    }
    const http = objectAt(rule, 'http');
    if (!http) return;
    const paths = arrayAt(http, 'paths') ?? [];
    if (paths.length === 0) errs.push(required(`${rp}.http.paths`));
    paths.forEach((p, j) => {
      const pp = `${rp}.http.paths[${j}]`;
      if (!isObject(p)) return errs.push(invalid(pp, p, 'must be an object'));
      if (p.pathType === undefined) errs.push(required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!pathTypes.includes(String(p.pathType))) errs.push(notSupported(`${pp}.pathType`, p.pathType, pathTypes));
      else if (p.pathType !== 'ImplementationSpecific' && (typeof p.path !== 'string' || !p.path.startsWith('/'))) {
        errs.push(invalid(`${pp}.path`, p.path, 'must be an absolute path'));
      }
      const backend = objectAt(p, 'backend');
      if (!backend) errs.push(required(`${pp}.backend`));
      else errs.push(...validateBackend(backend, `${pp}.backend`));
      return undefined;
    });
  });
  return errs;
}

function validateIngress(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  const rules = arrayAt(spec, 'rules') ?? [];
  const defaultBackend = objectAt(spec, 'defaultBackend');
  if (rules.length === 0 && !defaultBackend) errs.push(invalid('spec.rules', rules, 'either `defaultBackend` or `rules` must be specified'));
  if (defaultBackend) errs.push(...validateBackend(defaultBackend, 'spec.defaultBackend'));
  errs.push(...validateRules(spec));
  const cls = spec.ingressClassName;
  if (cls !== undefined) {
    const p = typeof cls === 'string' ? nameProblem(cls, 'subdomain') : 'must be a string';
    if (p) errs.push(invalid('spec.ingressClassName', cls, p));
  }
  objectsIn(spec.tls).forEach((t, i) => {
    if (t.secretName !== undefined && (typeof t.secretName !== 'string' || nameProblem(t.secretName, 'subdomain'))) {
      errs.push(invalid(`spec.tls[${i}].secretName`, t.secretName, 'must be a valid secret name'));
    }
  });
  return errs;
}

function hostsCell(o: KubeObject): string {
  const rules = objectsIn(specOf(o).rules);
  const hosts = rules.map((r) => stringAt(r, 'host') ?? '').filter(Boolean);
  if (hosts.length === 0) return '*';
  return rules.length > 3 ? `${hosts.slice(0, 3).join(',')} + ${rules.length - 3} more...` : hosts.slice(0, 3).join(',');
}

function addressCell(o: KubeObject): string {
  const ingress = objectsIn(objectAt(statusOf(o), 'loadBalancer')?.ingress);
  const addresses = new Set(ingress.map((i) => stringAt(i, 'ip') || stringAt(i, 'hostname') || '').filter(Boolean));
  return [...addresses].join(',');
}

export const ingresses = defineResource({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  subresources: ['status'],
  strategy: {
    generationFields: ['spec'],
    prepareForCreate(obj) {
      obj.status = { loadBalancer: {} };
    },
    prepareForUpdate(next, old) {
      next.status = old.status;
    },
    validate: validateIngress,
  },
  tableColumns: [
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration', (o) => stringAt(specOf(o), 'ingressClassName') ?? '<none>'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule', hostsCell),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer', addressCell),
    column('Ports', 'string', 'Ports of TLS configurations that open', (o) => (objectsIn(specOf(o).tls).length > 0 ? '80, 443' : '80')),
    ageColumn,
  ],
});
