/**
 * The OpenAPI schema of CustomResourceDefinition itself, written by hand: JSONSchemaProps
 * refers to itself and holds free-form JSON (default, enum, example), which the protobuf
 * descriptor tables cannot describe. Component names and shapes follow the
 * apiextensions.k8s.io/v1 types.
 */
import type { SchemaObject, SchemaSink } from '../openapi/index.js';

const prefix = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.';
const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${prefix}${name}` });
const wrap = (name: string, description: string): SchemaObject => ({ description, allOf: [ref(name)] });
const str = (description: string): SchemaObject => ({ description, type: 'string' });
const bool = (description: string): SchemaObject => ({ description, type: 'boolean' });
const int = (description: string, format: 'int32' | 'int64' = 'int64'): SchemaObject => ({ description, type: 'integer', format });
const num = (description: string): SchemaObject => ({ description, type: 'number', format: 'double' });
const strings = (description: string): SchemaObject => ({ description, type: 'array', items: { type: 'string' } });
const obj = (description: string, properties: Record<string, SchemaObject>, required?: string[]): SchemaObject => ({
  description,
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});

/** Free-form JSON (JSON, JSONSchemaPropsOr*): any value, which OpenAPI 3 says by saying nothing. */
const anyValue = (description: string): SchemaObject => ({ description, 'x-kubernetes-preserve-unknown-fields': true });

function jsonSchemaProps(): SchemaObject {
  const props: Record<string, SchemaObject> = {
    $ref: str('A reference to another schema (not allowed in CRDs).'),
    $schema: str('The JSON schema dialect.'),
    additionalItems: anyValue('A schema, or a boolean.'),
    additionalProperties: anyValue('A schema for the values of a map, or a boolean.'),
    allOf: { type: 'array', items: ref('JSONSchemaProps') },
    anyOf: { type: 'array', items: ref('JSONSchemaProps') },
    default: anyValue('The value applied when the field is absent; must validate against this schema.'),
    definitions: { type: 'object', additionalProperties: ref('JSONSchemaProps') },
    dependencies: { type: 'object', additionalProperties: anyValue('A schema or a list of property names.') },
    description: str('What the field means.'),
    enum: { type: 'array', items: anyValue('An allowed value.') },
    example: anyValue('An example value.'),
    exclusiveMaximum: bool('Whether maximum itself is excluded.'),
    exclusiveMinimum: bool('Whether minimum itself is excluded.'),
    externalDocs: ref('ExternalDocumentation'),
    format: str('A format such as int32, date-time or byte.'),
    id: str('The schema id.'),
    items: anyValue('The schema of array items (or a list of schemas).'),
    maxItems: int('Most items an array may have.'),
    maxLength: int('Longest a string may be.'),
    maxProperties: int('Most properties an object may have.'),
    maximum: num('Largest value allowed.'),
    minItems: int('Fewest items an array may have.'),
    minLength: int('Shortest a string may be.'),
    minProperties: int('Fewest properties an object may have.'),
    minimum: num('Smallest value allowed.'),
    multipleOf: num('What the value must be a multiple of.'),
    not: ref('JSONSchemaProps'),
    nullable: bool('Whether null is allowed.'),
    oneOf: { type: 'array', items: ref('JSONSchemaProps') },
    pattern: str('A regular expression strings must match.'),
    patternProperties: { type: 'object', additionalProperties: ref('JSONSchemaProps') },
    properties: { type: 'object', additionalProperties: ref('JSONSchemaProps') },
    required: strings('Properties that must be present.'),
    title: str('A title.'),
    type: str('object, array, string, integer, number or boolean.'),
    uniqueItems: bool('Whether array items must be distinct.'),
    'x-kubernetes-embedded-resource': bool('The field holds a whole object with apiVersion, kind and metadata.'),
    'x-kubernetes-int-or-string': bool('The field is an integer or a string.'),
    'x-kubernetes-list-map-keys': strings('The keys of a map-type list.'),
    'x-kubernetes-list-type': str('atomic, set or map.'),
    'x-kubernetes-map-type': str('granular or atomic.'),
    'x-kubernetes-preserve-unknown-fields': bool('Keep fields the schema does not name instead of pruning them.'),
    'x-kubernetes-validations': { type: 'array', items: ref('ValidationRule'), 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['rule'] },
  };
  return obj('A JSON-Schema following Specification Draft 4 (http://json-schema.org/).', props);
}

/** Write the CRD kind's components into the sink; returns the kind's component name. */
export function provideCrdSchema(sink: SchemaSink): string {
  const objectMeta = sink.addMessage('meta.v1.ObjectMeta');
  const condition: SchemaObject = obj(
    'A condition of the definition.',
    {
      lastTransitionTime: { description: 'When the condition last changed.', type: 'string', format: 'date-time' },
      message: str('Details of the last transition.'),
      reason: str('Why the condition last changed, in CamelCase.'),
      status: str('True, False or Unknown.'),
      type: str('Established, NamesAccepted, NonStructuralSchema, Terminating, KubernetesAPIApprovalPolicyConformant.'),
    },
    ['type', 'status'],
  );
  const s: Record<string, SchemaObject> = {
    CustomResourceDefinition: {
      ...obj(
        'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
        {
          apiVersion: str('The versioned schema of this representation of an object.'),
          kind: str('The REST resource this object represents, in CamelCase.'),
          metadata: { description: 'Standard object metadata.', allOf: [{ $ref: `#/components/schemas/${objectMeta}` }] },
          spec: wrap('CustomResourceDefinitionSpec', 'The resource that should be exposed on the API server.'),
          status: wrap('CustomResourceDefinitionStatus', 'The state of the definition.'),
        },
        ['spec'],
      ),
      'x-kubernetes-group-version-kind': [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', version: 'v1' }],
    },
    CustomResourceDefinitionSpec: obj(
      'How a user wants their resource to appear.',
      {
        conversion: wrap('CustomResourceConversion', 'How to convert between versions (None or Webhook).'),
        group: str('The API group of the defined resource: /apis/<group>/<version>.'),
        names: wrap('CustomResourceDefinitionNames', 'The resource and kind names.'),
        preserveUnknownFields: bool('Deprecated: must be false in apiextensions.k8s.io/v1.'),
        scope: str('Cluster or Namespaced.'),
        versions: { description: 'The versions served; exactly one is the storage version.', type: 'array', items: ref('CustomResourceDefinitionVersion') },
      },
      ['group', 'names', 'scope', 'versions'],
    ),
    CustomResourceDefinitionNames: obj(
      'The names of the resource.',
      {
        categories: strings('Grouped resources this resource belongs to (e.g. all).'),
        kind: str('The serialized kind, in CamelCase.'),
        listKind: str('The serialized kind of the list (default <kind>List).'),
        plural: str('The plural name, in lowercase: /apis/<group>/<version>/<plural>.'),
        shortNames: strings('Short names for the resource, as kubectl accepts them.'),
        singular: str('The singular name, in lowercase (default the lowercased kind).'),
      },
      ['plural', 'kind'],
    ),
    CustomResourceDefinitionVersion: obj(
      'One version of the resource.',
      {
        additionalPrinterColumns: { description: 'Columns of Table output.', type: 'array', items: ref('CustomResourceColumnDefinition') },
        deprecated: bool('Whether this version is deprecated.'),
        deprecationWarning: str('The warning returned to clients of a deprecated version.'),
        name: str('The version name, e.g. v1 or v2beta1.'),
        schema: wrap('CustomResourceValidation', 'The schema for validation, pruning and defaulting.'),
        selectableFields: { type: 'array', items: ref('SelectableField') },
        served: bool('Whether this version is served.'),
        storage: bool('Whether objects are stored in this version (exactly one).'),
        subresources: wrap('CustomResourceSubresources', 'The status and scale subresources.'),
      },
      ['name', 'served', 'storage'],
    ),
    CustomResourceValidation: obj('The validation schema of a version.', { openAPIV3Schema: wrap('JSONSchemaProps', 'The OpenAPI v3 schema.') }),
    JSONSchemaProps: jsonSchemaProps(),
    ExternalDocumentation: obj('A link to further documentation.', { description: str('What is there.'), url: str('Where.') }),
    ValidationRule: obj(
      'A CEL validation rule.',
      {
        fieldPath: str('The field the error is reported on.'),
        message: str('The message on failure.'),
        messageExpression: str('A CEL expression for the message.'),
        optionalOldSelf: bool('Whether the rule runs on creates too.'),
        reason: str('The reason on failure.'),
        rule: str('The CEL expression.'),
      },
      ['rule'],
    ),
    SelectableField: obj('A field usable as a field selector.', { jsonPath: str('The field, as a JSON path.') }, ['jsonPath']),
    CustomResourceSubresources: obj('The subresources of a version.', {
      scale: wrap('CustomResourceSubresourceScale', 'The scale subresource.'),
      status: { description: 'The status subresource (an empty object enables it).', type: 'object' },
    }),
    CustomResourceSubresourceScale: obj(
      'Where the scale subresource reads and writes.',
      {
        labelSelectorPath: str('The JSON path of the serialized label selector (under .spec or .status).'),
        specReplicasPath: str('The JSON path of the desired replicas (under .spec).'),
        statusReplicasPath: str('The JSON path of the observed replicas (under .status).'),
      },
      ['specReplicasPath', 'statusReplicasPath'],
    ),
    CustomResourceColumnDefinition: obj(
      'A column of Table output.',
      {
        description: str('What the column shows.'),
        format: str('An OpenAPI format for the column.'),
        jsonPath: str('A simple JSON path evaluated against each object.'),
        name: str('The column header.'),
        priority: int('0: always shown; greater: only in wide output.', 'int32'),
        type: str('integer, number, string, boolean or date.'),
      },
      ['name', 'type', 'jsonPath'],
    ),
    CustomResourceConversion: obj('How versions are converted.', {
      strategy: str('None (only apiVersion changes) or Webhook.'),
      webhook: wrap('WebhookConversion', 'The webhook, with strategy Webhook.'),
    }, ['strategy']),
    WebhookConversion: obj('A conversion webhook.', {
      clientConfig: wrap('WebhookClientConfig', 'How to call the webhook.'),
      conversionReviewVersions: strings('ConversionReview versions the webhook accepts.'),
    }, ['conversionReviewVersions']),
    WebhookClientConfig: obj('How to reach a webhook.', {
      caBundle: { description: 'PEM CA bundle.', type: 'string', format: 'byte' },
      service: wrap('ServiceReference', 'A service in the cluster.'),
      url: str('A URL.'),
    }),
    ServiceReference: obj('A service.', {
      name: str('Its name.'),
      namespace: str('Its namespace.'),
      path: str('The URL path.'),
      port: int('The port.', 'int32'),
    }, ['namespace', 'name']),
    CustomResourceDefinitionStatus: obj('The observed state of the definition.', {
      acceptedNames: wrap('CustomResourceDefinitionNames', 'The names actually served.'),
      conditions: { type: 'array', items: ref('CustomResourceDefinitionCondition'), 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
      storedVersions: strings('Every version objects have ever been stored in.'),
    }),
    CustomResourceDefinitionCondition: condition,
  };
  for (const [name, schema] of Object.entries(s)) sink.schemas[`${prefix}${name}`] = schema;
  return `${prefix}CustomResourceDefinition`;
}
