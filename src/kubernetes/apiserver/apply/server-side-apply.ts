/**
 * PATCH with `application/apply-patch+yaml`: the body is the manager's whole intent for
 * the fields it cares about. Merged into the live object (created when missing) with
 * ownership recorded in managedFields; conflicts with other managers are 409 unless
 * `force=true`.
 */
import type { UserInfo } from '../authn/user.js';
import { parse } from 'yaml';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../../../core/json-depth.js';
import { invalidError, required } from '../field-errors.js';
import { isObject, type KubeObject } from '../object.js';
import type { Registry } from '../registry.js';
import type { ResourceDefinition } from '../resource.js';
import { badRequest, StatusError } from '../status.js';
import type { FieldValidation, FieldValidator } from './field-validation.js';
import { applyConfiguration, type ManagedFieldsEntry, type Writer } from './managed-fields.js';
import type { Shape } from './shape.js';

export const applyPatchContentType = 'application/apply-patch+yaml';

export const isApplyPatch = (contentType: string): boolean => contentType.split(';')[0]!.trim().toLowerCase() === applyPatchContentType;

const utf8 = new TextDecoder();

/** The applied configuration: YAML or JSON, one object. */
export function parseAppliedConfiguration(raw: Uint8Array): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(utf8.decode(raw));
  } catch (e) {
    throw badRequest(`error decoding YAML: ${e instanceof Error ? e.message : 'invalid YAML'}`);
  }
  if (!isObject(doc)) throw badRequest('error decoding YAML: the applied configuration must be an object');
  // Merging and ownership walk the document recursively: refuse what would overflow the stack.
  if (exceedsJsonDepth(doc)) throw badRequest(`error decoding YAML: exceeded max depth of ${MAX_JSON_DEPTH}`);
  return doc;
}

/** 422 for an apply without a field manager, as PatchOptions validation words it. */
export function requireFieldManager(fieldManager: string | undefined): string {
  if (fieldManager) return fieldManager;
  throw invalidError('meta.k8s.io', 'PatchOptions', '', [required('fieldManager', 'is required for apply patch')]);
}

export interface ApplyRequest {
  registry: Registry;
  def: ResourceDefinition;
  namespace: string | undefined;
  name: string;
  body: Uint8Array;
  shape: Shape;
  writer: Writer;
  /** Who applies, for admission. */
  user?: UserInfo;
  force: boolean;
  dryRun: boolean;
  subresource?: 'status';
  validator: FieldValidator;
  fieldValidation: FieldValidation;
}

export interface ApplyOutcome {
  object: KubeObject;
  created: boolean;
  warnings: string[];
}

export async function serverSideApply(req: ApplyRequest): Promise<ApplyOutcome> {
  const { registry, def, namespace, name } = req;
  const body = parseAppliedConfiguration(req.body);
  const { warnings } = req.validator.enforce(def, body, req.fieldValidation);
  const metadata = isObject(body.metadata) ? body.metadata : {};
  if (metadata.name !== undefined && metadata.name !== name) {
    throw badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`);
  }
  const applied = { ...body, apiVersion: def.apiVersion, kind: def.kind, metadata: { ...metadata, name } } as KubeObject;
  let entries: ManagedFieldsEntry[] = [];
  const options = { dryRun: req.dryRun, managedFields: () => entries, ...(req.user ? { user: req.user } : {}) };
  try {
    const object = await registry.updateWith(
      def,
      namespace,
      name,
      (current) => {
        const result = applyConfiguration(current, applied, req.shape, req.writer, req.force);
        entries = result.managedFields;
        return result.object;
      },
      { ...options, ...(req.subresource ? { subresource: req.subresource } : {}) },
    );
    return { object, created: false, warnings };
  } catch (e) {
    if (!(e instanceof StatusError) || e.code !== 404 || req.subresource) throw e;
  }
  const result = applyConfiguration(undefined, applied, req.shape, req.writer, req.force);
  entries = result.managedFields;
  if (def.namespaced && namespace) result.object.metadata.namespace = namespace;
  return { object: await registry.create(def, namespace, result.object, options), created: true, warnings };
}
