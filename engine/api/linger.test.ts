import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { lingerOverUnreadBody } from './linger.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server that refuses every body at once, before reading it, and lingers as bounded. */
async function refusing(ms: number, bytes: number): Promise<number> {
  server = createServer((req, res) => {
    lingerOverUnreadBody(req, { ms, bytes });
    res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":"body-too-large"}');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** Streams `total` bytes (Infinity: until the socket dies); reports the answer and the end. */
function upload(port: number, total: number) {
  return new Promise<{ status?: number; body: string; closedAfterMs: number; sent: number }>(
    (resolve) => {
      const t0 = Date.now();
      let status: number | undefined;
      let body = '';
      let sent = 0;
      const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/' }, (res) => {
        status = res.statusCode;
        res.on('data', (c) => {
          body += c;
        });
      });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (sent < total && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (sent >= total) req.end();
      };
      req.on('socket', (s) =>
        s.once('close', () => resolve({ status, body, closedAfterMs: Date.now() - t0, sent })),
      );
      req.on('error', () => {});
      pump();
    },
  );
}

test('a body that never ends is read for the linger time, then the socket is closed', async () => {
  const port = await refusing(300, 1 << 30);
  const r = await upload(port, Number.POSITIVE_INFINITY);
  expect(r.status).toBe(413);
  expect(r.body).toContain('body-too-large');
  expect(r.closedAfterMs).toBeGreaterThanOrEqual(250);
  expect(r.closedAfterMs).toBeLessThan(5000);
});

test('a body past the linger size is cut off', async () => {
  const port = await refusing(60_000, 1 << 20);
  const r = await upload(port, Number.POSITIVE_INFINITY);
  expect(r.status).toBe(413);
  expect(r.closedAfterMs).toBeLessThan(10_000);
  expect(r.sent).toBeLessThan(64 << 20);
});
