import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../../codec';
import { hashApiKey } from '../../api/auth';
import { connectDatabase } from '../../prisma/client';
import { prepareDatabase } from '../../prisma/prepare';
import { ensureDevEncryptionKeys } from '../../scripts/dev-encryption-keys';
import { freePort } from '../../scripts/provision/ports';
import { startEmbeddedPostgres } from '../../scripts/provision/postgres';
import { startTemporalServerOnPostgres } from '../../scripts/provision/temporal-server-postgres';
import { startTemporalDevServer } from '../../scripts/provision/temporal-dev-server';
import { readConfig } from '../../domain/config';
import { workerNodeArgs } from '../../worker/heap';
import { registerSearchAttributes } from '../../workflows/register-search-attributes';
import { temporalKind } from './report';

const root = resolve(__dirname, '../..');

/**
 * The servers every benchmark measures against: the ones named by DATABASE_URL and
 * TEMPORAL_ADDRESS, or an embedded PostgreSQL and a Temporal dev server (SQLite file, as
 * `npm start` runs it) in a scratch folder. Our service and its baseline share them.
 */
export interface BenchServers {
  databaseUrl: string;
  temporalAddress: string;
  /** The dev server's SQLite file, when this benchmark started the server. */
  temporalDbFile?: string;
  /** What the command line of the Temporal server this benchmark started holds (to measure its CPU). */
  temporalProcessHolds?: string;
  encryptionKeys: string;
  dir: string;
  /** A staff key for the API, stored hashed like every other; a department's names its department. */
  issueKey(role: 'intake' | 'office' | 'supervisor' | 'admin' | 'department', departmentCode?: string): Promise<string>;
  /** Starts a TypeScript entry point of this repository as a child process with the servers' environment. */
  spawn(name: string, script: string, env?: Record<string, string>, nodeArgs?: string[], opts?: SpawnOptions): Promise<Child>;
  /** Starts the worker as production starts it: its heap bounded with its workflow cache (worker/heap.ts). */
  spawnWorker(env: Record<string, string>, opts?: SpawnOptions): Promise<Child>;
  stop(): Promise<void>;
}

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /**
   * 'idle': the process runs only on CPU that nothing else wants (Linux SCHED_IDLE). Production
   * runs the API and the workers on machines of their own; on one machine a worker scheduled so
   * leaves the API and the Temporal server the CPU they would have there. A nice value is not
   * enough: a worker at niceness 10 or 19 still takes a core for milliseconds at a time while a
   * start waits for it.
   */
  priority?: 'idle';
}

export interface BenchServerOptions {
  /** false: no Temporal dev server, for a benchmark that brings its own (the time-skipping server). */
  devServer?: boolean;
}

export async function startBenchServers(log: (m: string) => void, opts: BenchServerOptions = {}): Promise<BenchServers> {
  const dir = mkdtempSync(join(tmpdir(), 'suggestion-chain-bench-'));
  const stoppers: (() => Promise<void>)[] = [];
  const devServer = opts.devServer ?? true;
  const postgres = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), log });
  if (postgres) stoppers.push(postgres.stop);
  const databaseUrl = process.env.DATABASE_URL ?? postgres!.databaseUrl;
  const ownTemporal = temporalKind() !== 'external' && devServer;
  const onPostgres = ownTemporal && temporalKind() === 'postgres';
  const temporal = !ownTemporal
    ? undefined
    : onPostgres
      ? await startTemporalServerOnPostgres({ databaseUrl, dir, log })
      : await startTemporalDevServer({ dbFilename: join(dir, 'temporal.db'), headless: true, log });
  if (temporal) stoppers.unshift(temporal.stop);
  const temporalAddress = process.env.TEMPORAL_ADDRESS ?? temporal?.address ?? '';

  if (devServer) {
    const connection = await Connection.connect({ address: temporalAddress });
    await registerSearchAttributes(connection, 'default');
    await connection.close();
  }
  await prepareDatabase(databaseUrl);
  const encryptionKeys = process.env.ENCRYPTION_KEYS ?? ensureDevEncryptionKeys(dir);
  const children: Child[] = [];
  const spawnService = async (name: string, script: string, env: Record<string, string> = {}, nodeArgs: string[] = [], opts: SpawnOptions = {}) => {
    const child = spawnChild(
      name,
      script,
      { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, ENCRYPTION_KEYS: encryptionKeys, LOG_LEVEL: 'warn', ...env },
      nodeArgs,
      opts,
    );
    children.push(child);
    return child;
  };

  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    for (const child of children.reverse()) await child.stop();
    for (const stop of stoppers) await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  // A benchmark stopped by hand (Ctrl-C, kill) stops what it started rather than leave servers behind.
  const interrupted = (signal: NodeJS.Signals) => void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);

  return {
    databaseUrl,
    temporalAddress,
    temporalDbFile: temporal && !onPostgres ? join(dir, 'temporal.db') : undefined,
    temporalProcessHolds: temporal ? (onPostgres ? join(dir, 'temporal-server') : join(dir, 'temporal.db')) : undefined,
    encryptionKeys,
    dir,
    async issueKey(role, departmentCode) {
      const db = connectDatabase(databaseUrl, 1);
      const key = `bench-${randomUUID()}`;
      await db.apiKey.create({ data: { id: randomUUID(), hash: hashApiKey(key), label: `benchmark ${role}`, role, departmentCode } });
      await db.$disconnect();
      return key;
    },
    spawn: spawnService,
    spawnWorker: (env, opts) => spawnService('worker', 'worker/main.ts', env, workerNodeArgs(readConfig(env).WORKER_MAX_CACHED_WORKFLOWS), opts),
    stop: stopAll,
  };
}

function spawnChild(name: string, script: string, env: Record<string, string>, nodeArgs: string[], opts: SpawnOptions): Child {
  // Run as production runs it: Node with tsx's loader, one process (docker-compose.yml, scripts/dev-stack.ts).
  // BENCH_CPU_PROF_DIR=dir writes each server's V8 CPU profile there when it stops, to see where its time goes.
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF_DIR, name)}`] : [];
  const command = [process.execPath, ...nodeArgs, ...profile, '--import', 'tsx', join(root, script)];
  // chrt runs node in its own place (exec): the child's pid is node's, and signals reach it. Every
  // thread node starts (libuv's pool, the Temporal core's runtime) inherits the policy.
  const [file, ...args] = opts.priority === 'idle' ? ['chrt', '--idle', '0', ...command] : command;
  const child = spawn(file, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  // BENCH_CHILD_LOGS=1 shows the servers' own lines as they come, to see why a run is slow.
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
    if (process.env.BENCH_CHILD_LOGS === '1') process.stderr.write(`[${name}] ${chunk}`);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('exit', (code, signal) => {
    if (code && !stopping) process.stderr.write(`[${name}] exited with ${code ?? signal}:\n${tail}\n`);
  });
  let stopping = false;
  return {
    process: child,
    stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((done) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(force);
          done();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/**
 * The workflow bundle a worker loads (WORKFLOW_BUNDLE_PATH), built ahead of time as production
 * builds it, so a worker's memory and start-up are not the bundler's: the test run's, or one built now.
 */
export async function workflowBundle(servers: BenchServers): Promise<string> {
  if (process.env.TEST_WORKFLOW_BUNDLE) return process.env.TEST_WORKFLOW_BUNDLE;
  const path = join(servers.dir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`[bundler] ${m}\n`), log() {} },
  });
  writeFileSync(path, code);
  return path;
}

/** Waits until an HTTP endpoint answers at all (any status). */
export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export { freePort };
