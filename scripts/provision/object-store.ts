import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir } from './cache';
import { assertPortFree, freePort } from './ports';
import { OutputTail, hasExited, isExecutable, pollUntil, run, silent, stopChild, which, type Log } from './process';

// A real S3-compatible server for development and the tests: SeaweedFS (Apache-2.0), its `weed`
// binary built with Go from the Go module proxy and cached like the Temporal CLI. `weed server`
// runs a master, a volume server, a filer and the S3 gateway in one process; only the S3 port
// matters to this service. The module's go.mod carries a replace directive, which
// `go install module@version` refuses, so the module is downloaded and built as the main module.

export const SEAWEEDFS_VERSION = 'v0.0.0-20261109003541-7506e5f91cd6';
const MODULE = 'github.com/seaweedfs/seaweedfs';
const IDENTITIES_FILE = 's3-identities.json';
const CREDENTIALS_FILE = 's3-credentials.json';
/** What this service writes into the data directory itself; the rest is weed's. */
const OWN_FILES = new Set([IDENTITIES_FILE, CREDENTIALS_FILE]);

function builtBinary(): string {
  return join(cacheDir(), `seaweedfs-${SEAWEEDFS_VERSION}`, 'weed');
}

/** Path of a `weed` binary: `$SEAWEEDFS_WEED_PATH`, the cached build, or a new build (minutes, once). */
export async function ensureWeed(log: Log = silent): Promise<string> {
  const fromEnv = process.env.SEAWEEDFS_WEED_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`SEAWEEDFS_WEED_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const built = builtBinary();
  if (isExecutable(built)) return built;
  const go = which('go');
  if (!go)
    throw new Error(
      `No SeaweedFS for the object store: install Go (>= 1.26) so it can be built from ${MODULE}@${SEAWEEDFS_VERSION}, or set SEAWEEDFS_WEED_PATH, or point S3_* at an existing store`,
    );
  return buildWithGo(go, log);
}

async function buildWithGo(go: string, log: Log): Promise<string> {
  const target = builtBinary();
  mkdirSync(cacheDir(), { recursive: true });
  const tmpDir = mkdtempSync(join(cacheDir(), `seaweedfs-${SEAWEEDFS_VERSION}.building-`));
  const started = Date.now();
  log(`building SeaweedFS ${SEAWEEDFS_VERSION} with ${go} for the object store (first run only; takes several minutes)`);
  const heartbeat = setInterval(() => log(`  still building SeaweedFS (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    const env = { ...process.env, CGO_ENABLED: '0' };
    const { stdout } = await run(go, ['mod', 'download', '-json', `${MODULE}@${SEAWEEDFS_VERSION}`], { env });
    const dir = (JSON.parse(stdout) as { Dir: string }).Dir;
    await run(go, ['build', '-trimpath', '-ldflags=-s -w', '-o', join(tmpDir, 'weed'), './weed'], { cwd: dir, env, onLine: (line) => log(`  ${line}`) });
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(join(tmpDir, 'weed'), target);
  } catch (err) {
    throw new Error(`Building SeaweedFS failed. It needs the Go module proxy and Go >= 1.26.\n${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  } finally {
    clearInterval(heartbeat);
    rmSync(tmpDir, { recursive: true, force: true });
  }
  log(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

export interface ObjectStoreServerOptions {
  /** Where SeaweedFS keeps its volumes and metadata (kept across restarts). */
  dataDir: string;
  /** The S3 port; a free one unless given. */
  port?: number;
  log?: Log;
}

export interface ObjectStoreServer {
  endpoint: string;
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
  /** The environment the API reads (S3_*), with the bucket named. */
  env(bucket: string): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts SeaweedFS with its S3 gateway on loopback, with one identity whose keys are generated
 * into the data directory (kept, so a restart on the same directory takes the same keys).
 */
export async function startObjectStore(opts: ObjectStoreServerOptions): Promise<ObjectStoreServer> {
  const log = opts.log ?? silent;
  const weed = await ensureWeed(log);
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  let port = opts.port ?? (await freePort());
  if (opts.port !== undefined) await assertPortFree('127.0.0.1', port, 'object store (S3)');
  const credentials = credentialsIn(dataDir);
  const configFile = join(dataDir, IDENTITIES_FILE);
  writeFileSync(
    configFile,
    JSON.stringify({
      identities: [
        {
          name: 'suggestion-chain',
          credentials: [{ accessKey: credentials.accessKeyId, secretKey: credentials.secretAccessKey }],
          actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
        },
      ],
    }),
    { mode: 0o600 },
  );
  // A data directory weed has never run on may have its ports picked again: a port found free can be
  // taken by another process before weed binds it (parallel test runs, a stack shutting down).
  const fresh = !existsSync(join(dataDir, 'master'));
  let started: { child: ReturnType<typeof spawn>; endpoint: string; seconds: number } | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await runWeed(weed, dataDir, port, configFile);
    } catch (err) {
      const taken = err instanceof Error && /address already in use/.test(err.message);
      if (!(fresh && taken && attempt < 3)) throw err;
      log(`a port of the object store was taken meanwhile; picking its ports again (attempt ${attempt + 1})`);
      // All that attempt left goes, not only the ports: a volume stamp (.vid_stamp) beside a new
      // master reads as master state lost, and weed then freezes volume growth for good.
      for (const leftover of readdirSync(dataDir)) if (!OWN_FILES.has(leftover)) rmSync(join(dataDir, leftover), { recursive: true, force: true });
      if (opts.port === undefined) port = await freePort();
    }
  }
  const { child, endpoint } = started;
  log(`object store (SeaweedFS S3) on ${endpoint}, up in ${started.seconds.toFixed(1)} s`);
  return {
    endpoint,
    port,
    ...credentials,
    env: (bucket) => ({
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    }),
    stop: () => stopChild(child),
  };
}

/** Starts weed on the data directory's ports and waits until it takes writes; refused with its output if it exits. */
async function runWeed(weed: string, dataDir: string, port: number, configFile: string) {
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3Grpc] = await internalPorts(dataDir);
  mkdirSync(join(dataDir, 'master'), { recursive: true });
  const args = [
    'server',
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-dir=${dataDir}`,
    // The master's metadata (its volume ids among them) in one place whatever its port, so a restart
    // on the same directory finds the volumes it made; a fresh master would try to make them again.
    `-master.dir=${join(dataDir, 'master')}`,
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    '-master.volumeSizeLimitMB=64',
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    '-volume.max=100',
    '-filer',
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    '-s3',
    `-s3.port=${port}`,
    `-s3.port.grpc=${s3Grpc}`,
    `-s3.config=${configFile}`,
    // The Iceberg and Lance catalogs would take fixed ports; this service speaks S3 only.
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
  ];
  const child = spawn(weed, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const output = new OutputTail();
  child.stdout!.on('data', (c: Buffer) => output.push(c));
  child.stderr!.on('data', (c: Buffer) => output.push(c));
  const endpoint = `http://127.0.0.1:${port}`;
  const startedAt = Date.now();
  try {
    // Up once the S3 gateway answers and the master has a volume to write to (after a restart the
    // volume server needs a few heartbeats to register; writes before that hang).
    await pollUntil('the object store (SeaweedFS S3) to answer', async () => ((await writable(master)) ? answers(endpoint) : undefined), {
      timeoutMs: 90_000,
      intervalMs: 200,
      abortIf: () => (hasExited(child) ? `weed exited:\n${output}` : undefined),
    });
  } catch (err) {
    await stopChild(child);
    if (hasExited(child) && err instanceof Error && !err.message.includes('weed exited'))
      throw new Error(`${err.message}; weed's output:\n${output}`, { cause: err });
    throw err;
  }
  return { child, endpoint, seconds: (Date.now() - startedAt) / 1000 };
}

/** Whether the master hands out a file id: a volume server has registered a writable volume. */
async function writable(masterPort: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${masterPort}/dir/assign?count=1`, { signal: AbortSignal.timeout(2_000) });
  return Boolean(((await res.json()) as { fid?: string }).fid);
}

/** The S3 gateway answers once its filer is up: an unsigned request is refused with an S3 error, not a dropped connection. */
async function answers(endpoint: string): Promise<true | undefined> {
  const res = await fetch(endpoint, { signal: AbortSignal.timeout(2_000) });
  const text = await res.text();
  return text.includes('<Error') || text.includes('ListAllMyBucketsResult') ? true : undefined;
}

/**
 * Every SeaweedFS component listens on a port and a gRPC port of its own, all on loopback. They are
 * kept in the data directory: a restart on it uses the same ones, as the volume server's identity
 * (its address) and the filer's records name them.
 */
async function internalPorts(dataDir: string): Promise<number[]> {
  const file = join(dataDir, 'ports.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as number[];
  const ports = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  writeFileSync(file, JSON.stringify(ports));
  return ports;
}

function credentialsIn(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
  const credentials = { accessKeyId: `dev${randomBytes(8).toString('hex')}`, secretAccessKey: randomBytes(24).toString('base64url') };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}
