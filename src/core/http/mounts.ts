/**
 * The mount table: which API owns which URL prefix, and how it writes an error. The
 * shared listener uses it to answer unknown routes and failed requests in the format of
 * the API the client was talking to.
 */
import type { KosError } from '../errors.js';

export interface ErrorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ApiMount {
  /** Service name for logs and metrics: identity, compute, network, … */
  service: string;
  /** URL prefix such as `/compute`; '' for the API that answers at the root. */
  prefix: string;
  formatError(err: KosError): ErrorReply;
}

export class MountTable {
  private mounts: ApiMount[] = [];

  add(mount: ApiMount): void {
    this.mounts.push(mount);
    // Longest prefix first so /compute wins over the root mount.
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The mount serving a URL path. */
  find(url: string): ApiMount | undefined {
    const path = url.split('?', 1)[0] ?? '';
    return this.mounts.find(
      (m) => m.prefix === '' || path === m.prefix || path.startsWith(m.prefix + '/'),
    );
  }
}
