/**
 * decodeProtobufBody: a `application/vnd.kubernetes.protobuf` request body in, the JSON
 * object the same client would have sent as `application/json` out — with `kind` and
 * `apiVersion` set from the envelope, so everything after content negotiation in the
 * API server sees one shape.
 */
import { readEnvelope } from './envelope.js';
import { UnsupportedProtobufKindError } from './errors.js';
import type { JsonObject } from './json-value.js';
import { isJsonObject } from './json-value.js';
import { MessageDecoder } from './message-decoder.js';
import { createRegistry } from './registry.js';
import type { MessageRegistry } from './registry.js';
import { builtinTables } from './tables/index.js';

export interface DecodedBody {
  readonly apiVersion: string;
  readonly kind: string;
  readonly object: JsonObject;
}

let defaultRegistry: MessageRegistry | undefined;

/** The registry of every built-in table, parsed on first use. */
export function builtinRegistry(): MessageRegistry {
  defaultRegistry ??= createRegistry(builtinTables);
  return defaultRegistry;
}

/**
 * Throws ProtobufDecodeError (400) for a malformed body and UnsupportedProtobufKindError
 * (415) for a kind we hold no descriptor for.
 */
export function decodeProtobufBody(body: Uint8Array, registry: MessageRegistry = builtinRegistry()): DecodedBody {
  const { apiVersion, kind, raw } = readEnvelope(body);
  const message = registry.kindMessage(apiVersion, kind);
  if (message === undefined) throw new UnsupportedProtobufKindError(`${apiVersion}, Kind=${kind}`);
  const decoded = new MessageDecoder(registry).decode(message, raw);
  if (!isJsonObject(decoded)) throw new UnsupportedProtobufKindError(`${apiVersion}, Kind=${kind}`);
  // Go's TypeMeta comes first in every object: kind, then apiVersion.
  return { apiVersion, kind, object: { kind, apiVersion, ...decoded } };
}
