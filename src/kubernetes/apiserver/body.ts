/**
 * Request bodies: JSON and YAML are decoded here; protobuf (kubectl 1.32+ sends it for
 * `create configmap|secret|deployment|namespace`) belongs to
 * `src/kubernetes/apimachinery/protobuf` and answers 415 until that module is wired.
 */
import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from './status.js';

export const bodyContentTypes = ['application/json', 'application/yaml'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export const mediaTypeOf = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/** The decoded body, or undefined when there is none. */
export function decodeBody(contentType: string | undefined, raw: Uint8Array | undefined): unknown {
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
  throw unsupportedMediaType(type, [...bodyContentTypes]);
}
