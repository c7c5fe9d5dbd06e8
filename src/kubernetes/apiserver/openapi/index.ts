/**
 * OpenAPI v3 for kos's Kubernetes API server: documents derived at runtime from the
 * served resource catalog and the protobuf descriptor tables (one source of truth for
 * decoding, patching and schemas), the /openapi/v3 routes, and unknown-field detection
 * against the same schemas for fieldValidation=Strict.
 */
export { registerOpenApiRoutes } from './routes.js';
export { buildOpenApiDocuments, documentKey, MissingSchemaError, type OpenApiDocument } from './documents.js';
export { publishOpenApi, OpenApiPublisher, type PublishedOpenApi, type PublishedDocument } from './published.js';
export { unknownFieldPaths, strictDecodingMessage, UnknownFieldChecker } from './unknown-fields.js';
export type { SchemaObject, GroupVersionKindRef } from './schema-object.js';
export { provideOpenApiSchema, type SchemaProvider, type SchemaSink } from './provided-schemas.js';
