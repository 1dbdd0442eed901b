import { join } from 'node:path';
import { silent, type Log } from './process';
import { ensurePythonPackage } from './python-package';

/**
 * An Open311 GeoReport v2 client that no one here wrote, run by test/api/open311.test.ts: civicbot's
 * Open311Client (PyPI, pinned) lists services, reads a service definition, submits a request and
 * reads requests back. It needs only the standard library.
 */
export const OPEN311_CLIENT_VERSION = '0.4.0';

/** The Python of the virtual environment in the cache that holds the pinned civicbot. */
export async function ensureOpen311Client(log: Log = silent): Promise<string> {
  const bin = await ensurePythonPackage(
    { name: 'civicbot', version: OPEN311_CLIENT_VERSION, purpose: 'the Open311 client run by npm test', python: '3.10' },
    log,
  );
  return join(bin, 'python');
}
