/**
 * Endpoints (core/v1): the addresses behind a Service, written by the endpoints
 * controller (or by hand for selector-less services). Port protocols default to TCP.
 */
import { invalid, required, type FieldError } from '../field-errors.js';
import { arrayAt, isObject, numberAt, stringAt, type KubeObject } from '../object.js';
import { defineResource } from '../resource.js';
import { ageColumn } from '../table.js';
import { column } from './columns.js';
import { objectsIn, protocolProblem } from './networking.js';

function validateEndpoints(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(obj.subsets).forEach((s, i) => {
    const path = `subsets[${i}]`;
    for (const key of ['addresses', 'notReadyAddresses']) {
      objectsIn(s[key]).forEach((a, j) => {
        if (!stringAt(a, 'ip')) errs.push(required(`${path}.${key}[${j}].ip`));
      });
    }
    const ports = arrayAt(s, 'ports') ?? [];
    ports.forEach((p, j) => {
      const pp = `${path}.ports[${j}]`;
      if (!isObject(p)) return errs.push(invalid(pp, p, 'must be an object'));
      const port = p.port;
      if (typeof port !== 'number' || port < 1 || port > 65535) errs.push(invalid(`${pp}.port`, port, 'must be between 1 and 65535, inclusive'));
      const proto = protocolProblem(p, pp);
      if (proto) errs.push(proto);
      if (ports.length > 1 && !p.name) errs.push(required(`${pp}.name`));
      return undefined;
    });
  });
  return errs;
}

/** `10.0.0.1:80,10.0.0.2:80 + 3 more...`, as kubectl prints endpoints. */
function endpointsCell(o: KubeObject): string {
  const subsets = objectsIn(o.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const s of subsets) {
    const ips = objectsIn(s.addresses).map((a) => String(a.ip ?? ''));
    const ports = objectsIn(s.ports);
    const pairs = ports.length === 0 ? ips : ports.flatMap((p) => ips.map((ip) => (ip.includes(':') ? `[${ip}]` : ip) + `:${numberAt(p, 'port') ?? 0}`));
    count += pairs.length;
    for (const pair of pairs) if (list.length < 3) list.push(pair);
  }
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

export const endpoints = defineResource({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  strategy: {
    defaults(obj) {
      for (const s of objectsIn(obj.subsets)) for (const p of objectsIn(s.ports)) if (p.protocol == null) p.protocol = 'TCP';
    },
    validate: validateEndpoints,
  },
  tableColumns: [column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.', endpointsCell), ageColumn],
});
