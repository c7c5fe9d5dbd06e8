/**
 * EndpointSlices (discovery.k8s.io/v1): addressType (IPv4, IPv6 or FQDN) is required and
 * immutable, every endpoint has 1–100 addresses, port protocols default to TCP.
 */
import { invalid, notSupported, required, type FieldError } from '../field-errors.js';
import { arrayAt, isObject, numberAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { objectsIn, protocolProblem } from './networking.js';
import { immutable } from './workload.js';

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];

function validateEndpointSlice(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.addressType === undefined) errs.push(required('addressType'));
  else if (!addressTypes.includes(String(obj.addressType))) errs.push(notSupported('addressType', obj.addressType, addressTypes));
  (Array.isArray(obj.endpoints) ? obj.endpoints : []).forEach((e, i) => {
    const addresses = isObject(e) ? arrayAt(e, 'addresses') : undefined;
    if (!addresses || addresses.length === 0) errs.push(required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
    else if (addresses.length > 100) errs.push({ type: 'TooLong', field: `endpoints[${i}].addresses`, detail: 'must have at most 100 items' });
  });
  objectsIn(obj.ports).forEach((p, i) => {
    const proto = protocolProblem(p, `ports[${i}]`);
    if (proto) errs.push(proto);
    const port = p.port;
    if (port != null && (typeof port !== 'number' || port < 1 || port > 65535)) errs.push(invalid(`ports[${i}].port`, port, 'must be between 1 and 65535, inclusive'));
  });
  return errs;
}

/** Up to three items, then `+ N more...`; `<unset>` when there are none. */
function listWithMore(items: string[]): string {
  if (items.length === 0) return '<unset>';
  return items.length > 3 ? `${items.slice(0, 3).join(',')} + ${items.length - 3} more...` : items.join(',');
}

export const endpointslices = defineResource({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  strategy: {
    generationFields: ['endpoints', 'ports', 'addressType'],
    defaults(obj) {
      for (const p of objectsIn(obj.ports)) {
        if (p.protocol == null) p.protocol = 'TCP';
        if (p.name == null) p.name = '';
      }
    },
    validate: validateEndpointSlice,
    validateUpdate: (next, old) => immutable(next.addressType, old.addressType, 'addressType'),
  },
  tableColumns: [
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.', (o) => stringAt(o, 'addressType') ?? ''),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.', (o) =>
      listWithMore(objectsIn(o.ports).map((p) => (numberAt(p, 'port') !== undefined ? String(p.port) : stringAt(p, 'name') || '*'))),
    ),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.', (o) => listWithMore(objectsIn(o.endpoints).flatMap((e) => (arrayAt(e, 'addresses') ?? []).map(String)))),
    ageColumn,
  ],
});
