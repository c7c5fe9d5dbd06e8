/**
 * The seam for kinds whose schema does not come from the protobuf descriptor tables:
 * CustomResourceDefinition (JSONSchemaProps is recursive and hand-described) and every
 * custom resource (its schema is the CRD's openAPIV3Schema). A provider writes the kind's
 * components itself, asking for descriptor-backed ones (ObjectMeta) through `addMessage`.
 */
import type { ResourceDefinition } from '../resource.js';
import type { SchemaObject } from './schema-object.js';

export interface SchemaSink {
  /** Add a descriptor-backed component (e.g. `meta.v1.ObjectMeta`); returns its name. */
  addMessage(message: string): string;
  /** Components of the document, to write the provided ones into. */
  readonly schemas: Record<string, SchemaObject>;
}

/** Writes the kind's components into the sink; returns the kind's component name. */
export type SchemaProvider = (sink: SchemaSink) => string;

const providers = new WeakMap<ResourceDefinition, SchemaProvider>();

export function provideOpenApiSchema(def: ResourceDefinition, provider: SchemaProvider): void {
  providers.set(def, provider);
}

export const providedSchemaOf = (def: ResourceDefinition): SchemaProvider | undefined => providers.get(def);
