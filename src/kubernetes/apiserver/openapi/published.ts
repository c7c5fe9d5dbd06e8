/**
 * The documents as served: serialised once, each with its ETag (a SHA-512 of the bytes, in
 * upper-case hex, as the real server computes it) and the /openapi/v3 index pointing at
 * `?hash=<etag>` URLs, so clients can cache a document for as long as its hash holds.
 * Built from the catalog on first use and rebuilt when the catalog's resources change.
 */
import { createHash } from 'node:crypto';
import type { ResourceCatalog } from '../catalog.js';
import type { ResourceDefinition } from '../resource.js';
import { buildOpenApiDocuments } from './documents.js';

export interface PublishedDocument {
  /** The JSON, as bytes: sent as they are, with no charset parameter added. */
  readonly body: Buffer;
  readonly etag: string;
}

export interface PublishedOpenApi {
  readonly index: PublishedDocument;
  readonly documents: ReadonlyMap<string, PublishedDocument>;
}

const etagOf = (body: Buffer): string => createHash('sha512').update(body).digest('hex').toUpperCase();
const published = (json: string): PublishedDocument => {
  const body = Buffer.from(json);
  return { body, etag: etagOf(body) };
};

export const hashedUrl = (key: string, etag: string): string => `/openapi/v3/${key}?hash=${etag}`;

export function publishOpenApi(resources: readonly ResourceDefinition[]): PublishedOpenApi {
  const documents = new Map<string, PublishedDocument>();
  for (const [key, doc] of buildOpenApiDocuments(resources)) documents.set(key, published(JSON.stringify(doc)));
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const sorted = [...documents].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, doc] of sorted) paths[key] = { serverRelativeURL: hashedUrl(key, doc.etag) };
  return { index: published(JSON.stringify({ paths })), documents };
}

/** The published documents of a catalog, rebuilt only when its resource list changes. */
export class OpenApiPublisher {
  private cached: { resources: readonly ResourceDefinition[]; count: number; value: PublishedOpenApi } | undefined;

  constructor(private readonly catalog: ResourceCatalog) {}

  current(): PublishedOpenApi {
    const resources = this.catalog.resources;
    const c = this.cached;
    if (c && c.resources === resources && c.count === resources.length) return c.value;
    const value = publishOpenApi(resources);
    this.cached = { resources, count: resources.length, value };
    return value;
  }
}
