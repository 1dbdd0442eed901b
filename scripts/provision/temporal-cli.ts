import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache';
import { isExecutable, run, silent, which, type Log } from './process';

// v1.5.1 is the newest CLI that `go install …@version` accepts (later tags carry a `replace`
// directive in go.mod, which `go install` refuses); it bundles Temporal Server 1.29.1.
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli';

function builtBinary(): string {
  return join(cacheDir(), `temporal-cli-v${TEMPORAL_CLI_VERSION}`, 'temporal');
}

/** Where a CLI fetched by the Temporal SDK's own downloader is kept (its version is the SDK's pick). */
function sdkDownloadDir(): string {
  return join(cacheDir(), 'temporal-cli-sdk-download');
}

/**
 * Path of a `temporal` CLI binary, cheapest source first:
 * 1. `$TEMPORAL_CLI_PATH`;
 * 2. a binary an earlier run built or downloaded into the cache;
 * 3. building v1.5.1 from the Go module proxy (needs `go`, takes minutes the first time);
 * 4. without Go, the Temporal SDK's downloader (needs internet access to temporal.download,
 *    gives the CLI version the installed SDK pins rather than 1.5.1).
 */
export async function ensureTemporalCli(log: Log = silent): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const built = builtBinary();
  if (isExecutable(built)) return built;
  const downloaded = findSdkDownload();
  if (downloaded) return downloaded;

  const go = which('go');
  if (go) return buildWithGo(go, log);

  log('Go is not installed; trying the Temporal SDK download of the CLI instead');
  try {
    return await downloadWithSdk(log);
  } catch (err) {
    throw new Error(
      'No Temporal CLI available. Provide one of:\n' +
        '  - TEMPORAL_CLI_PATH=/path/to/temporal (e.g. from https://temporal.download or `brew install temporal`);\n' +
        `  - Go >= 1.25 on PATH, so it can be built with \`go install ${MODULE}/cmd/temporal@v${TEMPORAL_CLI_VERSION}\`;\n` +
        '  - internet access to temporal.download for the SDK download.\n' +
        `The SDK download failed with: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

async function buildWithGo(go: string, log: Log): Promise<string> {
  const target = builtBinary();
  const finalDir = join(target, '..');
  mkdirSync(cacheDir(), { recursive: true });
  // GOBIN points into a private temp dir, so an interrupted build never leaves a partial binary
  // where the cache lookup would find it; the finished binary is renamed into place.
  const tmpDir = mkdtempSync(join(cacheDir(), `temporal-cli-v${TEMPORAL_CLI_VERSION}.building-`));
  const started = Date.now();
  log(`building Temporal CLI v${TEMPORAL_CLI_VERSION} with ${go} (first run only; takes several minutes)`);
  const heartbeat = setInterval(() => {
    log(`  still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 30_000);
  try {
    await run(
      go,
      [
        'install',
        // The release build's flags: version stamp for `temporal --version`, no debug symbols.
        `-ldflags=-s -w -X ${MODULE}/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
        `${MODULE}/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
      ],
      {
        env: { ...process.env, GOBIN: tmpDir, CGO_ENABLED: '0' },
        onLine: (line) => log(`  ${line}`),
      },
    );
    mkdirSync(finalDir, { recursive: true });
    renameSync(join(tmpDir, 'temporal'), target);
  } catch (err) {
    throw new Error(
      `Building the Temporal CLI failed. It needs the Go module proxy (or GOPROXY/GOFLAGS=-mod=mod ` +
        `configured for a mirror) and Go >= 1.25.\n${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  } finally {
    clearInterval(heartbeat);
    rmSync(tmpDir, { recursive: true, force: true });
  }
  log(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

function findSdkDownload(): string | undefined {
  const dir = sdkDownloadDir();
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((file) => /^temporal-sdk-typescript-[^.]+/.test(file) && !file.endsWith('.downloading'));
  const path = name && join(dir, name);
  return path && statSync(path).isFile() ? path : undefined;
}

/**
 * The SDK (sdk-core) only downloads as part of starting a server, so a throwaway dev server is
 * started and torn down once; the binary it leaves behind is then used like a built one. The
 * SDK's time-to-live for its downloads does not apply: only the SDK deletes files past it, and
 * this path is never handed to the SDK's `cached-download` again.
 */
async function downloadWithSdk(log: Log): Promise<string> {
  let testing: typeof import('@temporalio/testing');
  try {
    testing = require('@temporalio/testing') as typeof import('@temporalio/testing');
  } catch {
    throw new Error('@temporalio/testing is not installed (it is a devDependency; run `npm install` without --omit=dev)');
  }
  const dir = sdkDownloadDir();
  mkdirSync(dir, { recursive: true });
  log(`downloading the Temporal CLI via @temporalio/testing into ${dir}`);
  const env = await testing.TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir: dir } },
  });
  await env.teardown();
  const path = findSdkDownload();
  if (!path) throw new Error(`the SDK started a dev server but left no binary in ${dir}`);
  chmodSync(path, 0o755);
  return path;
}
