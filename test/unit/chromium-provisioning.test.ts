import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Which Chromium the browser tests drive: CHROMIUM_PATH wins when it names an executable, and a
// wrong one is reported as such instead of falling back silently.

const saved = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = saved;
  jest.resetModules();
});

// Loaded anew after jest.resetModules(), so each test reads the environment it set.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fresh = () => require('../../scripts/provision/chromium') as typeof import('../../scripts/provision/chromium');

test('CHROMIUM_PATH names the browser when it is an executable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chromium-'));
  const browser = join(dir, 'chrome');
  writeFileSync(browser, '#!/bin/sh\n');
  chmodSync(browser, 0o755);
  process.env.CHROMIUM_PATH = browser;
  await expect(fresh().ensureChromium()).resolves.toBe(browser);
});

test('a CHROMIUM_PATH that is not executable is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chromium-'));
  const notExecutable = join(dir, 'chrome');
  writeFileSync(notExecutable, 'not a browser');
  process.env.CHROMIUM_PATH = notExecutable;
  await expect(fresh().ensureChromium()).rejects.toThrow(`CHROMIUM_PATH=${notExecutable} is not an executable file`);
  // A failure is not cached: fixing the variable fixes the next call.
  chmodSync(notExecutable, 0o755);
  await expect(fresh().ensureChromium()).resolves.toBe(notExecutable);
});
