/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1). Cluster-scoped, `crd`, in the
 * api-extensions category; validated and defaulted in ../crd, established and served by
 * the CRD controller (../crd/controller.ts). Its OpenAPI schema is written by hand
 * (JSONSchemaProps has no descriptor) and plugged in through the openapi seam.
 */
import { forbiddenField, invalid } from '../field-errors.js';
import { defaultCrd, validateCrd } from '../crd/crd-validation.js';
import { provideCrdSchema } from '../crd/crd-openapi.js';
import { clone, objectAt, stringAt } from '../object.js';
import { provideOpenApiSchema } from '../openapi/index.js';
import { defineResource } from '../resource.js';
import { createdAtColumn } from './rbac-columns.js';

export const customresourcedefinitions = defineResource({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: ['status'],
  tableColumns: [createdAtColumn],
  strategy: {
    defaults: defaultCrd,
    prepareForCreate(obj) {
      // The controller reports names and conditions; nothing a client sends counts.
      obj.status = { acceptedNames: { plural: '', kind: '' }, conditions: [], storedVersions: [] };
    },
    prepareForUpdate(next, old) {
      if (old.status === undefined) delete next.status;
      else next.status = clone(old.status);
    },
    validate: validateCrd,
    validateUpdate(next, old) {
      const errs = [];
      const nextSpec = objectAt(next, 'spec') ?? {};
      const oldSpec = objectAt(old, 'spec') ?? {};
      const scope = stringAt(nextSpec, 'scope');
      if (scope !== stringAt(oldSpec, 'scope')) errs.push(invalid('spec.scope', scope, 'field is immutable'));
      const group = stringAt(nextSpec, 'group');
      if (group !== stringAt(oldSpec, 'group')) errs.push(invalid('spec.group', group, 'field is immutable'));
      const plural = stringAt(objectAt(nextSpec, 'names') ?? {}, 'plural');
      if (plural !== stringAt(objectAt(oldSpec, 'names') ?? {}, 'plural')) errs.push(forbiddenField('spec.names.plural', 'may not be changed once the definition is created'));
      return errs;
    },
    generationFields: ['spec'],
  },
});

provideOpenApiSchema(customresourcedefinitions, provideCrdSchema);
