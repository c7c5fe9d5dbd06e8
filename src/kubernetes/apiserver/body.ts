/**
 * Request bodies: JSON and YAML, and protobuf for built-in kinds (kubectl 1.32+ sends it
 * for `create configmap|secret|deployment|namespace|…`), decoded by apimachinery into the
 * JSON object an older client would have sent.
 */
import { parse as parseYaml } from 'yaml';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../../core/json-depth.js';
import { PROTOBUF_CONTENT_TYPE, decodeProtobufBody } from '../apimachinery/protobuf/index.js';
import { badRequest, unsupportedMediaType } from './status.js';

export const bodyContentTypes = ['application/json', 'application/yaml', PROTOBUF_CONTENT_TYPE] as const;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export const mediaTypeOf = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/** The decoded body, or undefined when there is none. */
export function decodeBody(contentType: string | undefined, raw: Uint8Array | undefined): unknown {
  const body = decodeAnyDepth(contentType, raw);
  if (exceedsJsonDepth(body)) throw badRequest(`error decoding request body: exceeded max depth of ${MAX_JSON_DEPTH}`);
  return body;
}

function decodeAnyDepth(contentType: string | undefined, raw: Uint8Array | undefined): unknown {
  if (!raw || raw.length === 0) return undefined;
  const type = mediaTypeOf(contentType);
  if (type === 'application/json' || type === '') {
    try {
      return JSON.parse(utf8.decode(raw)) as unknown;
    } catch (e) {
      throw badRequest(`error decoding request body: ${e instanceof Error ? e.message : 'invalid JSON'}`);
    }
  }
  if (type === 'application/yaml') {
    try {
      return parseYaml(utf8.decode(raw)) as unknown;
    } catch (e) {
      throw badRequest(`error decoding YAML request body: ${e instanceof Error ? e.message : 'invalid YAML'}`);
    }
  }
  if (type === PROTOBUF_CONTENT_TYPE) return decodeProtobufBody(raw).object;
  throw unsupportedMediaType(type, [...bodyContentTypes]);
}
