/**
 * The subset of an OpenAPI 3.0 schema object the Kubernetes documents use, with the
 * `x-kubernetes-*` extensions kubectl reads (explain, client-side apply, the
 * fieldValidation check) and server-side apply will.
 */
export interface GroupVersionKindRef {
  group: string;
  kind: string;
  version: string;
}

export interface SchemaObject {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  properties?: Record<string, SchemaObject>;
  additionalProperties?: SchemaObject;
  items?: SchemaObject;
  required?: string[];
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  $ref?: string;
  enum?: string[];
  'x-kubernetes-group-version-kind'?: GroupVersionKindRef[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-embedded-resource'?: true;
}

/** Where components live in a v3 document; every `$ref` we write starts with it. */
export const componentRefPrefix = '#/components/schemas/';

export const refTo = (name: string): SchemaObject => ({ $ref: `${componentRefPrefix}${name}` });
