import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache';
import { isExecutable, run, silent, which, type Log } from './process';

export interface PythonPackage {
  /** The PyPI name and pinned version. */
  name: string;
  version: string;
  /** What the test run uses it for, in the message when Python is missing. */
  purpose: string;
  /** The minimum Python it needs, for that message. */
  python: string;
}

/**
 * The bin folder of a virtual environment in the cache, outside the repository, holding one pinned
 * PyPI package; installed on first use, reused after. Needs Python with its venv module.
 */
export async function ensurePythonPackage(pkg: PythonPackage, log: Log = silent): Promise<string> {
  const home = join(cacheDir(), `${pkg.name}-${pkg.version}`);
  const bin = join(home, 'bin');
  // Written last, so an interrupted install is never mistaken for a finished one.
  const complete = join(home, '.complete');
  if (existsSync(complete) && isExecutable(join(bin, 'python'))) return bin;

  const python = process.env.PYTHON ?? which('python3') ?? which('python');
  if (!python) {
    throw new Error(
      `${pkg.name} (${pkg.purpose}) needs Python ${pkg.python} or newer with its venv module, and none was found on PATH. ` +
        'Install it (e.g. `apt-get install python3 python3-venv`) or point PYTHON at a python3 executable, then run npm test again.',
    );
  }
  rmSync(home, { recursive: true, force: true });
  log(`installing ${pkg.name} ${pkg.version} from PyPI into ${home} (first run only)`);
  try {
    await run(python, ['-m', 'venv', home]);
  } catch (err) {
    throw new Error(
      `could not create a Python virtual environment with ${python} (on Debian/Ubuntu: apt-get install python3-venv): ${(err as Error).message}`,
      { cause: err },
    );
  }
  await run(join(bin, 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', `${pkg.name}==${pkg.version}`], { onLine: log });
  writeFileSync(complete, `${new Date().toISOString()}\n`);
  return bin;
}
