/**
 * Protobuf request bodies decoded into the JSON objects the API server handles.
 *
 * kubectl 1.32+ POSTs built-in kinds as `application/vnd.kubernetes.protobuf` (create
 * secret/configmap/deployment/…, autoscale, auth can-i, create token) while still
 * accepting JSON answers. The API server decodes such a body once, at content
 * negotiation, and from there on sees exactly the JSON object an older kubectl would have
 * sent:
 *
 *   const { object } = decodeProtobufBody(body); // 400 or 415 KosError when it cannot
 *
 * Only built-in kinds have protobuf forms; custom resources always arrive as JSON.
 */
export { decodeProtobufBody, builtinRegistry } from './decode-body.js';
export type { DecodedBody } from './decode-body.js';
export { hasProtobufMagic, PROTOBUF_MAGIC, readEnvelope } from './envelope.js';
export type { Envelope } from './envelope.js';
export { ProtobufDecodeError, UnsupportedProtobufKindError } from './errors.js';
export { createRegistry } from './registry.js';
export type { MessageRegistry } from './registry.js';
export type { PackageTable, MessageDescriptor, FieldDescriptor } from './descriptor.js';
export type { JsonObject, JsonValue } from './json-value.js';
export { MessageDecoder } from './message-decoder.js';
export { WireReader, WireType, readFields } from './wire-reader.js';
export type { WireField, WireValue } from './wire-reader.js';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
