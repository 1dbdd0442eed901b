import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { allSearchAttributes, searchAttributeFlags } from '../../workflows/search-attributes';
import { assertPortFree, freePort } from './ports';
import { OutputTail, exited, hasExited, pollUntil, silent, stopChild, type Log } from './process';
import { ensureTemporalCli } from './temporal-cli';
import { connectOnce } from './temporal-connection';

export interface TemporalDevServerOptions {
  /** SQLite file that keeps workflows across restarts; in memory when omitted. */
  dbFilename?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  /** The codec endpoint the Web UI calls to show encrypted payloads in clear (the API's /codec). */
  uiCodecEndpoint?: string;
  /** Interface the frontend and Web UI bind to; loopback unless given. */
  ip?: string;
  /** How long to wait for the frontend to answer (default 60 s; a cold start takes 2–5 s). */
  startTimeoutMs?: number;
  log?: Log;
}

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  stop(): Promise<void>;
  /** Kills the server outright (SIGKILL), as a crash would; its database file stays for a restart. */
  kill(): Promise<void>;
}

/** A real Temporal server (the CLI's `server start-dev`) with this project's search attributes registered. */
export async function startTemporalDevServer(opts: TemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const log = opts.log ?? silent;
  const cli = await ensureTemporalCli(log);
  const ip = opts.ip ?? '127.0.0.1';
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await freePort());
  // The CLI's own UI default (port + 1000) may be taken; a free port is picked instead.
  const uiPort = opts.headless ? undefined : (opts.uiPort ?? (await freePort()));
  const dbFilename = opts.dbFilename && resolve(opts.dbFilename);
  if (opts.port !== undefined) await assertPortFree(ip, port, 'Temporal frontend');
  if (opts.uiPort !== undefined && uiPort !== undefined) await assertPortFree(ip, uiPort, 'Temporal Web UI');

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'warn'];
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (uiPort !== undefined && opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  if (dbFilename) {
    // The CLI checks the parent directory itself, but only to fail on a missing one.
    mkdirSync(dirname(dbFilename), { recursive: true });
    args.push('--db-filename', dbFilename);
    // SQLite's default rollback journal syncs the database and its journal several times per
    // commit, and the dev server commits through one connection, so every start queues behind
    // those syncs. With a write-ahead log a commit is one append and one sync (synchronous stays
    // FULL: a committed start survives a crash or a power cut). The mode is kept in the file.
    args.push('--sqlite-pragma', 'journal_mode=WAL');
  }
  // "default" always exists; naming it again would be harmless but noisy.
  if (namespace !== 'default') args.push('--namespace', namespace);
  args.push(...searchAttributeFlags());

  const reusingDb = dbFilename !== undefined && existsSync(dbFilename);
  const startedAt = Date.now();
  const output = new OutputTail();
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));

  const address = `${ip}:${port}`;
  // Should this process exit without stop() (a crash, process.exit), the server must not outlive
  // it holding the ports and the SQLite file; SIGTERM still lets it close the file cleanly.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, 10_000);
  };
  const kill = async () => {
    process.removeListener('exit', killOnExit);
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;
  };
  try {
    const connection = await pollUntil(`Temporal dev server at ${address}`, () => connectOnce(address), {
      timeoutMs: opts.startTimeoutMs ?? 60_000,
      abortIf: () =>
        spawnError
          ? `could not run ${cli}: ${spawnError.message}`
          : hasExited(child)
            ? `\`temporal ${args.join(' ')}\` exited with ${child.exitCode ?? child.signalCode}:\n${output}`
            : undefined,
    });
    try {
      if (hasExited(child)) throw new Error(`the server exited right after start-up:\n${output}`);
      await ensureSearchAttributes(connection, namespace, reusingDb, log);
    } finally {
      await connection.close();
    }
  } catch (err) {
    await stop();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(message.includes(output.toString()) ? message : `${message}\nserver output:\n${output}`, { cause: err });
  }
  const uiUrl = uiPort === undefined ? undefined : `http://${ip}:${uiPort}`;
  log(`Temporal dev server at ${address}${uiUrl ? `, Web UI ${uiUrl}` : ''} (${Date.now() - startedAt} ms)`);
  return { address, uiUrl, namespace, stop, kill };
}

/**
 * start-dev applies --search-attribute only when it creates a namespace, so a database file from
 * an earlier run keeps the attribute set of that run. Anything missing is added here; a name
 * registered with another type cannot be changed and is reported instead.
 */
async function ensureSearchAttributes(connection: Connection, namespace: string, reusingDb: boolean, log: Log) {
  // The namespace becomes visible a moment after the frontend starts answering.
  const registered = await pollUntil(
    `namespace "${namespace}" on the Temporal dev server`,
    async () => (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {},
    { timeoutMs: 30_000 },
  );
  const missing: Record<string, number> = {};
  const conflicts: string[] = [];
  for (const key of allSearchAttributes) {
    const wanted = encodeSearchAttributeIndexedValueType(key.type);
    if (wanted === undefined) throw new Error(`unknown search attribute type ${key.type} for ${key.name}`);
    const actual = registered[key.name];
    if (actual === undefined) missing[key.name] = wanted;
    else if (actual !== wanted) conflicts.push(`${key.name} is registered as type ${actual}, expected ${wanted}`);
  }
  if (conflicts.length > 0) {
    throw new Error(
      `search attributes in namespace "${namespace}" conflict with workflows/search-attributes.ts: ${conflicts.join('; ')}. ` +
        'Their types cannot change; delete the dev server database file to start afresh.',
    );
  }
  if (Object.keys(missing).length === 0) return;
  log(`registering search attributes ${Object.keys(missing).join(', ')} in "${namespace}"` + (reusingDb ? ' (the database file predates them)' : ''));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
}
