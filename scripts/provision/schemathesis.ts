import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache';
import { isExecutable, run, silent, which, type Log } from './process';

/** The external fuzzer the test run points at /openapi.json (PyPI package, pinned). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * The `st` command of a pinned schemathesis in a virtual environment in the cache, outside the
 * repository; installed from PyPI on first use, reused after. Needs Python 3.9+ with venv.
 */
export async function ensureSchemathesis(log: Log = silent): Promise<string> {
  const home = join(cacheDir(), `schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = join(home, 'bin', 'st');
  // Written last, so an interrupted install is never mistaken for a finished one.
  const complete = join(home, '.complete');
  if (existsSync(complete) && isExecutable(st)) return st;

  const python = process.env.PYTHON ?? which('python3') ?? which('python');
  if (!python) {
    throw new Error(
      'schemathesis (the API fuzzer run by npm test) needs Python 3.9 or newer with its venv module, and none was found on PATH. ' +
        'Install it (e.g. `apt-get install python3 python3-venv`) or point PYTHON at a python3 executable, then run npm test again.',
    );
  }
  rmSync(home, { recursive: true, force: true });
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${home} (first run only)`);
  try {
    await run(python, ['-m', 'venv', home]);
  } catch (err) {
    throw new Error(
      `could not create a Python virtual environment with ${python} (on Debian/Ubuntu: apt-get install python3-venv): ${(err as Error).message}`,
      { cause: err },
    );
  }
  await run(join(home, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`], {
    onLine: log,
  });
  writeFileSync(complete, `${new Date().toISOString()}\n`);
  return st;
}
