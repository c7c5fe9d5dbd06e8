export { fieldValidatorFor, parseFieldValidation, warningHeaderValue, FieldValidator, type FieldValidation } from './field-validation.js';
export { applyConfiguration, recordUpdate, entriesOf, type ManagedFieldsEntry, type Writer } from './managed-fields.js';
export { isApplyPatch, serverSideApply, requireFieldManager, type ApplyOutcome } from './server-side-apply.js';
export { shapesFor, ShapeCatalog, schemaShape, untypedShape, type Shape, type ListSemantics } from './shape.js';
export { fieldSetOf, toFieldsV1, fromFieldsV1, describePath, type FieldsV1, type FieldSet } from './field-set.js';
