/**
 * Path items for one served resource: collection and item paths (and the all-namespaces
 * list for namespaced kinds), subresources, each operation with the query parameters the
 * server honours, its request body and responses. kubectl keys on three things here: the
 * `x-kubernetes-group-version-kind` of each operation (explain finds the kind of a
 * resource through it), the PATCH operation's `fieldValidation` parameter (present: the
 * server validates fields, so kubectl skips client-side validation) and the PATCH body's
 * `application/strategic-merge-patch+json` (present: apply sends a strategic merge patch).
 */
import { isBuiltinGroup } from '../../apimachinery/index.js';
import type { ResourceDefinition, Verb } from '../resource.js';
import { refTo, type GroupVersionKindRef, type SchemaObject } from './schema-object.js';

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: SchemaObject & { uniqueItems?: boolean };
}

export interface Operation {
  description: string;
  operationId: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: SchemaObject }>; required: boolean };
  responses: Record<string, { description: string; content?: Record<string, { schema: SchemaObject }> }>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind'?: GroupVersionKindRef;
}

export interface PathItem {
  parameters?: Parameter[];
  get?: Operation;
  put?: Operation;
  post?: Operation;
  delete?: Operation;
  patch?: Operation;
}

/** Component names the operations refer to, resolved by the document builder. */
export interface OperationSchemas {
  kind: string;
  list: string;
  scale: string;
  binding: string;
  eviction: string;
  status: string;
  deleteOptions: string;
  patch: string;
}

const query = (name: string, description: string, type: 'string' | 'integer' | 'boolean' = 'string'): Parameter => ({
  name, in: 'query', description, schema: { type, uniqueItems: true },
});
const pathParam = (name: string, description: string): Parameter => ({
  name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true },
});

const pretty = query('pretty', 'If true, the output is pretty printed.');
const dryRun = query('dryRun', 'When present (All), the change is validated but not persisted.');
const fieldManager = query('fieldManager', 'The name of the actor making the change, for field ownership.');
const fieldValidation = query(
  'fieldValidation',
  'What to do with unknown or duplicate fields in the body: Ignore, Warn or Strict.',
);
const force = query('force', 'Apply requests only: take ownership of conflicting fields.', 'boolean');
const listParams: Parameter[] = [
  query('allowWatchBookmarks', 'Ask for BOOKMARK events in a watch.', 'boolean'),
  query('continue', 'The continue token of a previous page.'),
  query('fieldSelector', 'Restrict the list by object fields.'),
  query('labelSelector', 'Restrict the list by labels.'),
  query('limit', 'The most objects to return in one page.', 'integer'),
  query('resourceVersion', 'Which version of the collection to read or to watch from.'),
  query('resourceVersionMatch', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  query('sendInitialEvents', 'Begin a watch with the current objects as ADDED events.', 'boolean'),
  query('timeoutSeconds', 'End a list or watch call after this many seconds.', 'integer'),
  query('watch', 'Watch for changes instead of listing.', 'boolean'),
];
const deleteParams: Parameter[] = [
  dryRun,
  query('gracePeriodSeconds', 'Seconds before the object is deleted; 0 deletes at once.', 'integer'),
  query('ignoreStoreReadErrorWithClusterBreakingPotential', 'Delete an object that cannot be read.', 'boolean'),
  query('orphanDependents', 'Deprecated: use propagationPolicy.', 'boolean'),
  query('propagationPolicy', 'How dependents are garbage collected: Orphan, Background or Foreground.'),
];

const objectMedia = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const listMedia = [...objectMedia, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
const patchMedia = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
// Only built-in kinds take strategic merge patches; for others kubectl apply sends a merge patch.
const builtinPatchMedia = [...patchMedia, 'application/strategic-merge-patch+json'];

const content = (media: readonly string[], schema: SchemaObject): Record<string, { schema: SchemaObject }> =>
  Object.fromEntries(media.map((m) => [m, { schema }]));
const ok = (schema: SchemaObject, media = objectMedia): { description: string; content: Record<string, { schema: SchemaObject }> } => ({
  description: 'OK',
  content: content(media, schema),
});
const unauthorized = { description: 'Unauthorized' };

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core`. */
function groupWord(group: string): string {
  if (group === '') return 'Core';
  return group.replace(/\.k8s\.io$/, '').split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

export function groupTag(group: string, version: string): string {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').replace(/\./g, '_');
  return `${g}_${version}`;
}

export function resourcePaths(def: ResourceDefinition, schemas: OperationSchemas): Record<string, PathItem> {
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const gvk: GroupVersionKindRef = { group: def.group, kind: def.kind, version: def.version };
  const tags = [groupTag(def.group, def.version)];
  const idBase = `${groupWord(def.group)}${def.version.charAt(0).toUpperCase()}${def.version.slice(1)}`;
  const scope = def.namespaced ? 'Namespaced' : '';
  const can = (v: Verb): boolean => def.verbs.includes(v);
  const op = (action: string, verbWord: string, suffix: string, description: string, o: Partial<Operation>, withGvk: GroupVersionKindRef | undefined = gvk): Operation => ({
    description,
    operationId: `${verbWord}${idBase}${scope}${def.kind}${suffix}`,
    tags,
    ...o,
    responses: o.responses ?? {},
    'x-kubernetes-action': action,
    ...(withGvk ? { 'x-kubernetes-group-version-kind': withGvk } : {}),
  });
  const kindRef = refTo(schemas.kind);
  const writeBody = (schema: SchemaObject) => ({ content: content(objectMedia, schema), required: true });
  const patchOp = (suffix: string, what: string, target: SchemaObject, targetGvk: GroupVersionKindRef): Operation =>
    op('patch', 'patch', suffix, `partially update ${what}`, {
      parameters: [dryRun, fieldManager, fieldValidation, force],
      requestBody: { content: content(isBuiltinGroup(def.group) ? builtinPatchMedia : patchMedia, refTo(schemas.patch)), required: true },
      responses: { 200: ok(target), 201: ok(target), 401: unauthorized },
    }, targetGvk);

  const collectionPath = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.plural}` : `${prefix}/${def.plural}`;
  const itemPath = `${collectionPath}/{name}`;
  const nsParams = def.namespaced ? [pathParam('namespace', 'The object name and auth scope, such as for teams and projects')] : [];
  const nameParam = pathParam('name', `name of the ${def.kind}`);
  const paths: Record<string, PathItem> = {};

  const collection: PathItem = { parameters: [...nsParams, pretty] };
  if (can('list')) {
    collection.get = op('list', 'list', '', `list or watch objects of kind ${def.kind}`, {
      parameters: listParams,
      responses: { 200: ok(refTo(schemas.list), listMedia), 401: unauthorized },
    });
  }
  if (can('create')) {
    collection.post = op('post', 'create', '', `create a ${def.kind}`, {
      parameters: [dryRun, fieldManager, fieldValidation],
      requestBody: writeBody(kindRef),
      responses: { 200: ok(kindRef), 201: { ...ok(kindRef), description: 'Created' }, 202: { ...ok(kindRef), description: 'Accepted' }, 401: unauthorized },
    });
  }
  if (can('deletecollection')) {
    collection.delete = op('deletecollection', 'deleteCollection', '', `delete collection of ${def.kind}`, {
      parameters: [...deleteParams, ...listParams.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks')],
      requestBody: { content: content(objectMedia, refTo(schemas.deleteOptions)), required: false },
      responses: { 200: ok(refTo(schemas.status)), 401: unauthorized },
    });
  }
  paths[collectionPath] = collection;

  const item: PathItem = { parameters: [...nsParams, nameParam, pretty] };
  if (can('get')) item.get = op('get', 'read', '', `read the specified ${def.kind}`, { responses: { 200: ok(kindRef), 401: unauthorized } });
  if (can('update')) {
    item.put = op('put', 'replace', '', `replace the specified ${def.kind}`, {
      parameters: [dryRun, fieldManager, fieldValidation],
      requestBody: writeBody(kindRef),
      responses: { 200: ok(kindRef), 201: { ...ok(kindRef), description: 'Created' }, 401: unauthorized },
    });
  }
  if (can('patch')) item.patch = patchOp('', `the specified ${def.kind}`, kindRef, gvk);
  if (can('delete')) {
    const deleted = def.returnDeletedObject ? kindRef : refTo(schemas.status);
    item.delete = op('delete', 'delete', '', `delete a ${def.kind}`, {
      parameters: deleteParams,
      requestBody: { content: content(objectMedia, refTo(schemas.deleteOptions)), required: false },
      responses: { 200: ok(deleted), 202: { ...ok(deleted), description: 'Accepted' }, 401: unauthorized },
    });
  }
  paths[itemPath] = item;

  if (def.namespaced && can('list')) {
    paths[`${prefix}/${def.plural}`] = {
      parameters: [pretty],
      get: { ...op('list', 'list', 'ForAllNamespaces', `list or watch objects of kind ${def.kind}`, {
        parameters: listParams,
        responses: { 200: ok(refTo(schemas.list), listMedia), 401: unauthorized },
      }), operationId: `list${idBase}${def.kind}ForAllNamespaces` },
    };
  }

  for (const sub of def.subresources) {
    const subPath = `${itemPath}/${sub}`;
    const params = [...nsParams, pathParam('name', `name of the ${def.kind}`), pretty];
    const suffix = sub.charAt(0).toUpperCase() + sub.slice(1);
    if (sub === 'status' || sub === 'scale') {
      const scaleGvk: GroupVersionKindRef = { group: 'autoscaling', kind: 'Scale', version: 'v1' };
      const target = sub === 'scale' ? refTo(schemas.scale) : kindRef;
      const targetGvk = sub === 'scale' ? scaleGvk : gvk;
      paths[subPath] = {
        parameters: params,
        get: op('get', 'read', suffix, `read ${sub} of the specified ${def.kind}`, { responses: { 200: ok(target), 401: unauthorized } }, targetGvk),
        put: op('put', 'replace', suffix, `replace ${sub} of the specified ${def.kind}`, {
          parameters: [dryRun, fieldManager, fieldValidation],
          requestBody: writeBody(target),
          responses: { 200: ok(target), 201: ok(target), 401: unauthorized },
        }, targetGvk),
        patch: patchOp(suffix, `${sub} of the specified ${def.kind}`, target, targetGvk),
      };
    } else if (sub === 'binding' || sub === 'eviction') {
      const target = refTo(sub === 'binding' ? schemas.binding : schemas.eviction);
      const targetGvk: GroupVersionKindRef = sub === 'binding'
        ? { group: '', kind: 'Binding', version: 'v1' }
        : { group: 'policy', kind: 'Eviction', version: 'v1' };
      paths[subPath] = {
        parameters: params,
        post: op('post', 'create', suffix, `create ${sub} of a ${def.kind}`, {
          parameters: [dryRun, fieldManager, fieldValidation],
          requestBody: writeBody(target),
          responses: { 200: ok(target), 201: ok(target), 202: ok(target), 401: unauthorized },
        }, targetGvk),
      };
    } else {
      // log answers text; exec, attach and portforward upgrade the connection.
      const text = { description: 'OK', content: { '*/*': { schema: { type: 'string' as const } } } };
      const connect = sub !== 'log';
      paths[subPath] = {
        parameters: params,
        get: op(connect ? 'connect' : 'get', connect ? 'connectGet' : 'read', suffix, `${connect ? 'connect GET requests to' : 'read'} ${sub} of ${def.kind}`, {
          responses: { 200: text, 401: unauthorized },
        }, undefined),
        ...(connect ? {
          post: op('connect', 'connectPost', suffix, `connect POST requests to ${sub} of ${def.kind}`, {
            responses: { 200: text, 401: unauthorized },
          }, undefined),
        } : {}),
      };
    }
  }
  return paths;
}
