/**
 * Glance's error bodies: webob's JSON rendering of an HTTP exception
 * (`{"code": "404 Not Found", "title": "Not Found", "message": "…"}`), which is what
 * glanceclient and openstacksdk read the message from.
 */
import type { KosError } from '../../core/errors.js';
import type { ErrorReply } from '../../core/http/mounts.js';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function formatGlanceError(err: KosError): ErrorReply {
  // Glance has no 422: semantic errors are 400s there.
  const status = err.status === 422 ? 400 : err.status;
  const title = titles[status] ?? 'Error';
  return {
    status,
    body: { code: `${status} ${title}`, title, message: err.message },
    ...(status === 401 ? { headers: { 'www-authenticate': 'Keystone uri="/v3"' } } : {}),
  };
}
