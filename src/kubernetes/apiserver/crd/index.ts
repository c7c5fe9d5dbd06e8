/**
 * CustomResourceDefinitions served dynamically: the CRD kind's validation and OpenAPI
 * schema, the controller that adds established definitions to a cluster's catalog, and
 * what custom resources need at request time (schema strategy, scale paths, columns).
 */
export { startCrdController, type CrdController, type CrdControllerOptions } from './controller.js';
export { customResourceDefinitions, type CustomResourceSet } from './custom-resource.js';
export { customResourceInfo, type CustomResourceInfo } from './served.js';
export { scalingFor, type Scaling } from './scale.js';
export { validateCrd, defaultCrd } from './crd-validation.js';
export { validateAgainstSchema } from './validate-schema.js';
export { applyDefaults, prune } from './structural.js';
export { readSchema, type Schema } from './schema.js';
export { evaluateJsonPath } from './json-path.js';
