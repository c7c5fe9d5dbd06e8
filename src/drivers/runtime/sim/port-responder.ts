/**
 * What answers a port-forwarded connection in the sim: an HTTP/1.1 responder for
 * requests (200 with a small page naming the pod, as a web server would) and an echo
 * for anything else. The connection stays open until the client ends it.
 */
import { Duplex } from 'node:stream';

const methods = /^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS) /;

export function httpBody(podName: string, port: number): string {
  return `<!DOCTYPE html>\n<html>\n<head><title>${podName}</title></head>\n<body>\n<h1>Hello from ${podName}</h1>\n<p>Served by the kos sim runtime on port ${port}.</p>\n</body>\n</html>\n`;
}

export function portResponder(podName: string, port: number, now: () => number): Duplex {
  let pending = Buffer.alloc(0);
  const stream: Duplex = new Duplex({
    read() {
      // Data is pushed as requests arrive.
    },
    write(chunk: Buffer, _encoding, callback) {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const text = pending.toString('latin1');
        if (!methods.test(text)) {
          if (pending.length > 0 && !/^[A-Z]{0,7}$/.test(text)) {
            stream.push(pending);
            pending = Buffer.alloc(0);
          }
          break;
        }
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) break;
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
        if (pending.length < end + 4 + length) break;
        pending = pending.subarray(end + 4 + length);
        const head = text.startsWith('HEAD ');
        const body = Buffer.from(httpBody(podName, port));
        const headers = [
          'HTTP/1.1 200 OK',
          'Server: kos-sim',
          `Date: ${new Date(now()).toUTCString()}`,
          'Content-Type: text/html',
          `Content-Length: ${body.length}`,
          'Connection: keep-alive',
          '',
          '',
        ].join('\r\n');
        stream.push(head ? Buffer.from(headers) : Buffer.concat([Buffer.from(headers), body]));
      }
      callback();
    },
    final(callback) {
      stream.push(null);
      callback();
    },
  });
  return stream;
}
