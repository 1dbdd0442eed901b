import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from './cache';
import { assertPortFree, freePort } from './ports';
import { OutputTail, hasExited, isExecutable, pollUntil, run, silent, stopChild, which, type Log } from './process';

// The Temporal Web UI as a server of its own (temporalio/ui-server), beside a headless dev server.
// The dev server's built-in UI takes only a codec endpoint (`--ui-codec-endpoint`): its other codec
// settings are fixed off, so the UI calls the codec endpoint without cookies ("include cross-origin
// credentials" is ignored while the server names an endpoint) and no signed-in staff member can
// decode there. This one is configured in full: the endpoint, credentials included, and what to
// say when the endpoint refuses (sign in first) instead of "Codec Server could not connect".

/** The UI that Temporal CLI v1.5.1 embeds, so both show the same screens. */
export const TEMPORAL_UI_SERVER_VERSION = '2.42.1';
const MODULE = 'github.com/temporalio/ui-server/v2';

function builtBinary(): string {
  return join(cacheDir(), `temporal-ui-server-v${TEMPORAL_UI_SERVER_VERSION}`, 'temporal-ui-server');
}

/**
 * Path of the UI server: `$TEMPORAL_UI_SERVER_PATH`, one built earlier into the cache, or built now
 * from the Go module proxy (under a minute; needs Go). Rejects when none can be had.
 */
export async function ensureTemporalUiServer(log: Log = silent): Promise<string> {
  const fromEnv = process.env.TEMPORAL_UI_SERVER_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_UI_SERVER_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const target = builtBinary();
  if (isExecutable(target)) return target;
  const go = which('go');
  if (!go) throw new Error('the Temporal UI server is built with Go, which is not installed (or set TEMPORAL_UI_SERVER_PATH)');
  mkdirSync(cacheDir(), { recursive: true });
  // Built into a private folder and renamed into place, so an interrupted build is never found.
  const tmpDir = mkdtempSync(join(cacheDir(), `temporal-ui-server-v${TEMPORAL_UI_SERVER_VERSION}.building-`));
  const started = Date.now();
  log(`building the Temporal UI server v${TEMPORAL_UI_SERVER_VERSION} with ${go} (first run only)`);
  try {
    await run(go, ['install', '-ldflags=-s -w', `${MODULE}/cmd/server@v${TEMPORAL_UI_SERVER_VERSION}`], {
      env: { ...process.env, GOBIN: tmpDir, CGO_ENABLED: '0' },
      onLine: (line) => log(`  ${line}`),
    });
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(join(tmpDir, 'server'), target);
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  log(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

export interface TemporalUiServerOptions {
  /** The Temporal frontend, host:port. */
  temporalAddress: string;
  /** The API's codec endpoint (…/codec), called with the browser's cookies. */
  codecEndpoint?: string;
  /** Shown when the codec endpoint refuses, with a link: where staff sign in. */
  codecErrorMessage?: string;
  codecErrorLink?: string;
  port?: number;
  ip?: string;
  log?: Log;
}

export interface TemporalUiServer {
  url: string;
  stop(): Promise<void>;
}

/** The settings the UI server reads (YAML; JSON is YAML). */
export function temporalUiConfig(opts: TemporalUiServerOptions & { port: number; ip: string }): Record<string, unknown> {
  return {
    temporalGrpcAddress: opts.temporalAddress,
    host: opts.ip,
    port: opts.port,
    enableUi: true,
    hideLogs: true,
    defaultNamespace: 'default',
    notifyOnNewVersion: false,
    // Plain http on the loopback: the UI's own CSRF cookie must not require https.
    cors: { cookieInsecure: true },
    codec: opts.codecEndpoint
      ? {
          endpoint: opts.codecEndpoint,
          passAccessToken: false,
          // Send the staff member's session cookie to the codec endpoint (fetch credentials: 'include').
          includeCredentials: true,
          defaultErrorMessage: opts.codecErrorMessage ?? '',
          defaultErrorLink: opts.codecErrorLink ?? '',
        }
      : {},
  };
}

/** Starts the UI server and resolves once it answers its settings. */
export async function startTemporalUiServer(opts: TemporalUiServerOptions): Promise<TemporalUiServer> {
  const log = opts.log ?? silent;
  const binary = await ensureTemporalUiServer(log);
  const ip = opts.ip ?? '127.0.0.1';
  if (opts.port !== undefined) await assertPortFree(ip, opts.port, 'Temporal Web UI');
  const port = opts.port ?? (await freePort());
  const root = mkdtempSync(join(tmpdir(), 'temporal-ui-'));
  mkdirSync(join(root, 'config'));
  writeFileSync(join(root, 'config', 'development.yaml'), JSON.stringify(temporalUiConfig({ ...opts, ip, port }), null, 2));
  const output = new OutputTail();
  const child = spawn(binary, ['--root', root, '--config', 'config', '--env', 'development', 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, 5_000);
    rmSync(root, { recursive: true, force: true });
  };
  const url = `http://${ip}:${port}`;
  try {
    await pollUntil(`Temporal UI server at ${url}`, async () => ((await fetch(`${url}/api/v1/settings`)).ok ? true : undefined), {
      timeoutMs: 30_000,
      abortIf: () => (hasExited(child) ? `it exited with ${child.exitCode ?? child.signalCode}:\n${output}` : undefined),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  log(`Temporal Web UI at ${url}${opts.codecEndpoint ? ` (codec ${opts.codecEndpoint}, with the browser's cookies)` : ''}`);
  return { url, stop };
}
