import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../conformance/free-port.js';

describe('freePort', () => {
  it('returns a port that can be bound right after', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does not hand out a port someone is listening on', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const taken = typeof address === 'object' && address ? address.port : -1;
    try {
      for (let i = 0; i < 20; i += 1) expect(await freePort()).not.toBe(taken);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
