import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, startTestApp, type TestApp, type TestDatabase } from './testing/testServer';

/** A raw HTTP/1.1 client connection (keep-alive by default) that records what it receives. */
function rawConnection(port: number): { socket: Socket; received: () => string; ended: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, ended };
}

/**
 * Stopping (SIGTERM) lets requests in flight finish and then ends: a keep-alive connection
 * whose request was running when close() began must not stay open after its answer (Node
 * would keep it until keepAliveTimeout, 72 s, far past the drain deadline; the server process
 * then exits 1 instead of 0, as the newsroom e2e test saw).
 */
describe('closing the app with a request in flight on a keep-alive connection', () => {
  let t: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await t.resetToDemo();
    app = await startTestApp(t.db);
    await app.app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers it with Connection: close, ends the connection and finishes closing', async () => {
    const { port } = app.app.server.address() as AddressInfo;
    const body = JSON.stringify({ username: 'penulis1', password: 'not-the-password' });
    const { socket, received, ended } = rawConnection(port);
    const requestArrived = new Promise<void>((resolve) => app.app.server.once('request', () => resolve()));

    // HTTP/1.1 keeps the connection alive by default; the body is held back so the request
    // is still running when close() begins.
    socket.write(`POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    await requestArrived;
    const closed = app.app.close();
    socket.write(body);

    await ended;
    await closed;
    const head = received().split('\r\n\r\n')[0]!.toLowerCase();
    expect(head).toMatch(/^http\/1\.1 401 /);
    expect(head).toContain('connection: close');
  }, 20_000);
});
