import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GracefulServer {
  server: Server;
  url: string;
  /** Stops taking requests (new ones get 503), lets in-flight ones finish, then releases resources. */
  shutdown(): Promise<void>;
}

const unavailable = JSON.stringify({
  type: 'https://suggestion-chain.example/problems/shutting-down',
  title: 'Service shutting down',
  status: 503,
  detail: 'the API is restarting; retry shortly',
});

/**
 * How long an idle keep-alive connection stays open: longer than the idle timeout of the proxies
 * and load balancers in front (60 s is common), so the server never closes a connection the other
 * side is about to reuse, which the client sees as ECONNRESET. Node's default is 5 s.
 */
export function keepConnectionsAlive(server: Server): Server {
  server.keepAliveTimeout = 65_000;
  // Headers of a request on a kept-alive connection must be given longer than the connection lives.
  server.headersTimeout = 66_000;
  return server;
}

/**
 * An HTTP server that shuts down without losing a request: once draining, new requests are
 * answered 503 (with Retry-After and Connection: close) before they reach the app, requests
 * already in the app run to the end, and `release` (the Temporal client, the database pool)
 * runs only after the last one.
 */
/**
 * The largest request head (request line and headers) the server reads: room for the longest query
 * the document allows — GET /v1/public/similar's text, 2,000 characters of up to four UTF-8 bytes,
 * percent-encoded (24 KiB) — where Node's default 16 KiB answered 431 to a request the document admits.
 */
export const maxRequestHeadBytes = 64 * 1024;

export function serveGracefully(app: RequestListener, port: number, host: string | undefined, release: () => Promise<void>): Promise<GracefulServer> {
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const server = createServer({ maxHeaderSize: maxRequestHeadBytes }, (req, res) => {
    if (draining) {
      res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '5', connection: 'close' });
      res.end(unavailable);
      return;
    }
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    });
    app(req, res);
  });
  keepConnectionsAlive(server);

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      // Still listening while draining, so a client arriving now hears 503 instead of a refused connection.
      draining = true;
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections with nothing in flight would hold close() open.
      server.closeAllConnections();
      await closed;
      await release();
    })());

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({ server, url: `http://${host ?? 'localhost'}:${address.port}`, shutdown });
    });
  });
}
