/**
 * NetworkPolicies (networking.k8s.io/v1). policyTypes defaults to Ingress, plus Egress
 * when egress rules are given; port protocols default to TCP. Translating them into
 * Neutron security groups is the Kuryr-style integration's job.
 */
import { invalid, notSupported, type FieldError } from '../field-errors.js';
import { arrayAt, ensureObject, objectAt, type JsonObject, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { labelSelectorText } from './label-selector-text.js';
import { isCidr, objectsIn, portProblem, protocolProblem } from './networking.js';
import { specOf } from './workload.js';

const policyTypes = ['Ingress', 'Egress'];

function defaultRules(spec: JsonObject, key: 'ingress' | 'egress'): void {
  for (const rule of objectsIn(spec[key])) for (const p of objectsIn(rule.ports)) if (p.protocol == null) p.protocol = 'TCP';
}

function validatePeers(peers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(peers).forEach((peer, i) => {
    const p = `${path}[${i}]`;
    const kinds = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer[k] !== undefined);
    if (kinds.length === 0) errs.push({ type: 'Required', field: p, detail: 'must specify a peer' });
    const ipBlock = objectAt(peer, 'ipBlock');
    if (ipBlock) {
      if (kinds.length > 1) errs.push({ type: 'Forbidden', field: p, detail: 'may not specify both ipBlock and another peer' });
      if (!isCidr(ipBlock.cidr)) errs.push(invalid(`${p}.ipBlock.cidr`, ipBlock.cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      (arrayAt(ipBlock, 'except') ?? []).forEach((e, j) => {
        if (!isCidr(e)) errs.push(invalid(`${p}.ipBlock.except[${j}]`, e, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      });
    }
  });
  return errs;
}

function validateRules(spec: JsonObject, key: 'ingress' | 'egress'): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(spec[key]).forEach((rule, i) => {
    const path = `spec.${key}[${i}]`;
    objectsIn(rule.ports).forEach((p, j) => {
      const pp = `${path}.ports[${j}]`;
      const proto = protocolProblem(p, pp);
      if (proto) errs.push(proto);
      if (p.port !== undefined) {
        const problem = portProblem(p.port, `${pp}.port`);
        if (problem) errs.push(problem);
      }
      if (p.endPort !== undefined && (typeof p.endPort !== 'number' || typeof p.port !== 'number' || p.endPort < p.port)) {
        errs.push(invalid(`${pp}.endPort`, p.endPort, 'must be greater than or equal to `port`'));
      }
    });
    errs.push(...validatePeers(rule[key === 'ingress' ? 'from' : 'to'], `${path}.${key === 'ingress' ? 'from' : 'to'}`));
  });
  return errs;
}

function validateNetworkPolicy(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = [...validateRules(spec, 'ingress'), ...validateRules(spec, 'egress')];
  const types = arrayAt(spec, 'policyTypes') ?? [];
  types.forEach((t, i) => {
    if (!policyTypes.includes(String(t))) errs.push(notSupported(`spec.policyTypes[${i}]`, t, policyTypes));
  });
  if (types.length > 2) errs.push(invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return errs;
}

export const networkpolicies = defineResource({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const spec = ensureObject(obj, 'spec');
      if (!spec) return;
      ensureObject(spec, 'podSelector');
      defaultRules(spec, 'ingress');
      defaultRules(spec, 'egress');
      if ((arrayAt(spec, 'policyTypes') ?? []).length === 0) {
        spec.policyTypes = (arrayAt(spec, 'egress') ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
      }
    },
    validate: validateNetworkPolicy,
  },
  tableColumns: [
    column('Pod-Selector', 'string', 'podSelector selects the pods to which this NetworkPolicy object applies.', (o) => labelSelectorText(objectAt(specOf(o), 'podSelector')) || '<none>'),
    ageColumn,
  ],
});
