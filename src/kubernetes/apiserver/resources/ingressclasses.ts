/**
 * IngressClasses (networking.k8s.io/v1, cluster-scoped): which controller implements a
 * class (immutable) and an optional parameters reference.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { objectAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { immutable, specOf } from './workload.js';

const scopes = ['Cluster', 'Namespace'];

function validateIngressClass(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  const controller = spec.controller;
  if (typeof controller !== 'string' || controller === '') errs.push(required('spec.controller'));
  else if (controller.length > 250) errs.push(invalid('spec.controller', controller, 'must be no more than 250 characters'));
  const params = objectAt(spec, 'parameters');
  if (params) {
    if (!stringAt(params, 'kind')) errs.push(required('spec.parameters.kind'));
    if (!stringAt(params, 'name')) errs.push(required('spec.parameters.name'));
    const scope = params.scope;
    if (scope !== undefined && !scopes.includes(String(scope))) errs.push(notSupported('spec.parameters.scope', scope, scopes));
    if (scope === 'Namespace' && !stringAt(params, 'namespace')) errs.push(required('spec.parameters.namespace', '`parameters.scope` is set to "Namespace"'));
  }
  return errs;
}

function parametersCell(o: KubeObject): string {
  const p = objectAt(specOf(o), 'parameters');
  if (!p) return '<none>';
  const group = stringAt(p, 'apiGroup');
  return `${stringAt(p, 'kind') ?? ''}${group ? `.${group}` : ''}/${stringAt(p, 'name') ?? ''}`;
}

export const ingressclasses = defineResource({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  strategy: {
    generationFields: ['spec'],
    defaults(obj) {
      const params = objectAt(specOf(obj), 'parameters');
      if (params && params.scope === undefined) params.scope = 'Cluster';
    },
    validate: validateIngressClass,
    validateUpdate: (next, old) => immutable(specOf(next).controller, specOf(old).controller, 'spec.controller'),
  },
  tableColumns: [
    column('Controller', 'string', 'Controller that is responsible for handling this class', (o) => stringAt(specOf(o), 'controller') ?? ''),
    column('Parameters', 'string', 'A reference to a resource with additional parameters', parametersCell),
    ageColumn,
  ],
});
