import { randomBytes, randomUUID } from 'node:crypto';

/** A UUID4 with dashes, as Nova, Neutron and Cinder name their resources. */
export const uuid = (): string => randomUUID();

/** A UUID4 as 32 hex characters, as Keystone names its resources. */
export const hexId = (): string => randomUUID().replaceAll('-', '');

/** n random bytes, base64url-encoded: secrets, request ids, audit ids. */
export const randomToken = (n = 16): string => randomBytes(n).toString('base64url');

/** An OpenStack request id: `req-` and a UUID. */
export const requestId = (): string => `req-${randomUUID()}`;
