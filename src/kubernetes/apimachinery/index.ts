/**
 * kos apimachinery: the pure libraries the Kubernetes API server builds on. Selectors
 * (labels and fields), the three patch formats, and the errors they raise, all shaped
 * after what the real API server accepts and answers.
 */
export type { GroupVersionKind } from './gvk.js';
export { groupKindKey } from './gvk.js';
export type { JsonMap } from './json.js';
export { isJsonMap, cloneJson, jsonEqual } from './json.js';
export type { StatusHint } from './errors.js';
export { GENERIC_INVALID_MESSAGE, statusHintOf } from './errors.js';

// Label selectors
export type { Labels, Operator, Requirement } from './labels/requirement.js';
export { newRequirement, requirementMatches, requirementToString, RequirementError } from './labels/requirement.js';
export type { LabelSelectorSpec, LabelSelectorRequirementSpec } from './labels/selector.js';
export { LabelSelector, parseLabelSelector, labelSelectorFromObject, labelSelectorFromSet } from './labels/selector.js';
export {
  labelKeyErrors,
  labelValueErrors,
  qualifiedNameErrors,
  dns1123SubdomainErrors,
  isValidLabelKey,
  isValidLabelValue,
} from './labels/validation.js';

// Field selectors
export type { FieldTerm, FieldOperator } from './fields/parser.js';
export { parseFieldTerms, escapeFieldValue, unescapeFieldValue } from './fields/parser.js';
export type { FieldLabelPolicy } from './fields/supported.js';
export { fieldLabelPolicyFor } from './fields/supported.js';
export type { FieldSet } from './fields/selectable.js';
export { selectableFields } from './fields/selectable.js';
export { FieldSelector } from './fields/selector.js';

// Patches
export { applyMergePatch, applyMergePatchToObject } from './patch/merge-patch.js';
export type { JsonPatchOperation } from './patch/json-patch.js';
export { applyJsonPatch, applyJsonPatchBody, decodeJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './patch/json-patch.js';
export { parsePointer, formatPointer } from './patch/json-pointer.js';
export type { FieldPatchMeta, PatchSchema, PatchMetaAtPath } from './patch/strategic/patch-meta.js';
export { patchMetaByPath } from './patch/strategic/patch-meta.js';
export { patchMetaFor, isBuiltinGroup } from './patch/strategic/patch-meta-for.js';
export { applyStrategicMergePatch } from './patch/strategic/apply.js';

// kubectl's protobuf request bodies
export {
  PROTOBUF_CONTENT_TYPE,
  decodeProtobufBody,
  hasProtobufMagic,
  ProtobufDecodeError,
  UnsupportedProtobufKindError,
} from './protobuf/index.js';
