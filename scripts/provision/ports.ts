import { createServer } from 'node:net';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago. Another process may still take it before
 * the caller binds it; callers that spawn servers should surface the server's own bind error.
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free TCP port'));
        return;
      }
      server.close(() => resolvePort(address.port));
    });
  });
}

/**
 * Fails when `port` is taken on `host`. Servers started on a fixed port check this first: a
 * Temporal frontend already listening there would otherwise answer the readiness probe of a
 * server that in fact failed to bind.
 */
export function assertPortFree(host: string, port: number, what: string): Promise<void> {
  return new Promise((resolveFree, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `${what} port ${host}:${port} is already in use (another server still running?)`
            : `cannot listen on ${host}:${port} for ${what}: ${err.message}`,
        ),
      ),
    );
    server.listen(port, host, () => server.close(() => resolveFree()));
  });
}
