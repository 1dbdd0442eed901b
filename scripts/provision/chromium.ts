import { isExecutable, run, silent, which, type Log } from './process';

/** Where Debian's `chromium` package puts the browser. */
const debianChromium = '/usr/bin/chromium';

/**
 * Flags for a headless Chromium in a container or CI machine without a display, a GPU or a
 * user namespace sandbox, and without calling home (the machines may have no internet).
 */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let pending: Promise<string> | undefined;

/**
 * The Chromium the browser tests drive through playwright-core: CHROMIUM_PATH if set, else
 * Debian's package, installed with apt-get on first use (as root). Playwright's own browser
 * download needs internet, which the build machines lack; the Debian archive is reachable.
 */
export function ensureChromium(log: Log = silent): Promise<string> {
  pending ??= locateOrInstall(log).catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

async function locateOrInstall(log: Log): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
    return configured;
  }
  const found = [debianChromium, which('chromium'), which('chromium-browser')].find((p): p is string => p !== undefined && isExecutable(p));
  if (found) return found;

  const aptGet = which('apt-get');
  if (!aptGet || process.getuid?.() !== 0) {
    throw new Error(
      'the browser tests need Chromium and none was found. ' +
        (aptGet ? 'Run `apt-get install -y chromium` as root' : 'Install Chromium with your package manager') +
        ', or point CHROMIUM_PATH at a Chromium or Chrome executable, then run the tests again.',
    );
  }
  log('installing Debian chromium with apt-get (first run only)');
  // Waits for another apt/dpkg run (a second test process) instead of failing on its lock.
  const install = ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', 'chromium'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run(aptGet, install, { env, onLine: log });
  } catch {
    // A fresh machine has no package lists yet.
    await run(aptGet, ['-o', 'DPkg::Lock::Timeout=600', 'update'], { env, onLine: log });
    await run(aptGet, install, { env, onLine: log });
  }
  if (!isExecutable(debianChromium)) throw new Error(`apt-get installed chromium but ${debianChromium} is missing`);
  return debianChromium;
}
