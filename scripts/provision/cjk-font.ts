import { execFileSync } from 'node:child_process';
import { run, silent, which, type Log } from './process';

/**
 * A font with Chinese characters for the browser tests' screenshots of the citizens' pages:
 * a bare machine has none, and Chromium then draws every character as an empty box. The
 * pages and their checks do not depend on it, so where it cannot be installed (not root, no
 * apt-get) the tests go on and only the screenshots are the poorer; the reason is logged.
 */
export async function ensureCjkFont(log: Log = silent): Promise<void> {
  if (hasCjkFont()) return;
  const aptGet = which('apt-get');
  if (!aptGet || process.getuid?.() !== 0) {
    log('no font with Chinese characters: install one (e.g. Debian fonts-wqy-microhei) for legible screenshots');
    return;
  }
  log('installing Debian fonts-wqy-microhei for the screenshots (first run only)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', 'fonts-wqy-microhei'];
  try {
    await run(aptGet, install, { env, onLine: log }).catch(async () => {
      // A fresh machine has no package lists yet.
      await run(aptGet, ['-o', 'DPkg::Lock::Timeout=600', 'update'], { env, onLine: log });
      await run(aptGet, install, { env, onLine: log });
    });
  } catch (err) {
    log(`could not install fonts-wqy-microhei (${(err as Error).message}); screenshots will show boxes for Chinese characters`);
  }
}

function hasCjkFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    // No fontconfig tools: Chromium's own fontconfig will find whatever is there.
    return true;
  }
}
