/**
 * CSINodes (storage.k8s.io/v1, cluster-scoped, named after their Node): the CSI drivers
 * registered on a node, each with a unique name and its node ID.
 */
import { duplicate, required, type FieldError } from '../field-errors.js';
import { arrayAt, isObject, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { specOf } from './workload.js';

function validateCSINode(obj: KubeObject): FieldError[] {
  const drivers = arrayAt(specOf(obj), 'drivers');
  if (!drivers) return [required('spec.drivers')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  drivers.forEach((d, i) => {
    const path = `spec.drivers[${i}]`;
    const name = isObject(d) ? stringAt(d, 'name') : undefined;
    if (!name) errs.push(required(`${path}.name`));
    else if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    else names.add(name);
    if (!isObject(d) || !stringAt(d, 'nodeID')) errs.push(required(`${path}.nodeID`));
  });
  return errs;
}

export const csinodes = defineResource({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSINode',
  plural: 'csinodes',
  singular: 'csinode',
  namespaced: false,
  strategy: { validate: validateCSINode },
  tableColumns: [
    column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node', (o) => (arrayAt(specOf(o), 'drivers') ?? []).length),
    ageColumn,
  ],
});
