import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startObjectStore } from '../../scripts/provision/object-store';

// SeaweedFS takes seven ports besides S3's, found free before weed starts. Another process may bind
// one in between (parallel test runs, a stack still shutting down): on a data directory weed has
// never run on, the ports are picked again and the store comes up, rather than failing the run.

let occupier: Server;
afterAll(() => new Promise<void>((resolve) => (occupier ? occupier.close(() => resolve()) : resolve())));

test('a port taken between picking it and weed binding it is picked again on a fresh data directory', async () => {
  occupier = createServer();
  const taken = await new Promise<number>((resolve) => occupier.listen(0, '127.0.0.1', () => resolve((occupier.address() as { port: number }).port)));
  const dir = mkdtempSync(join(tmpdir(), 'object-store-ports-'));
  // As if picked free a moment ago: the volume server's gRPC port is the one now taken.
  const free = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
  const ports = [await free(), await free(), await free(), taken, await free(), await free(), await free()];
  writeFileSync(join(dir, 'ports.json'), JSON.stringify(ports));
  const lines: string[] = [];
  const store = await startObjectStore({ dataDir: dir, log: (m) => lines.push(m) });
  try {
    expect(lines.some((l) => l.includes('picking its ports again'))).toBe(true);
    const now = JSON.parse(readFileSync(join(dir, 'ports.json'), 'utf8')) as number[];
    expect(now).not.toContain(taken);
    // It answers as S3 does: an unsigned request is refused with an S3 error.
    expect(await (await fetch(store.endpoint)).text()).toContain('<Error');
  } finally {
    await store.stop();
  }
}, 180_000);
