import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cacheDir } from './cache';
import { assertPortFree, freePort } from './ports';
import { OutputTail, hasExited, isExecutable, pollUntil, run, silent, stopChild, which, type Log } from './process';
import { msToTs } from '@temporalio/common/lib/time';
import { connectOnce } from './temporal-connection';

// A Temporal server on PostgreSQL, the shape a city runs in production (docker-compose.yml), on
// this machine: the server's own main and its SQL tool, built from the Go module proxy at the
// version the CLI bundles. Benchmarks use it with BENCH_TEMPORAL=postgres, to measure against the
// production shape rather than the dev server's one SQLite connection; test/integration/temporal-mtls
// starts it with its frontend requiring mutual TLS, which the dev server cannot do.

export const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = 'go.temporal.io/server';

interface ServerBuild {
  server: string;
  sqlTool: string;
  /** The PostgreSQL schema the server's version needs (schema/postgresql/v12 of its module). */
  schemaDir: string;
}

function buildDir(): string {
  return join(cacheDir(), `temporal-server-v${TEMPORAL_SERVER_VERSION}`);
}

function built(): ServerBuild {
  const dir = buildDir();
  return { server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool'), schemaDir: join(dir, 'schema') };
}

/** The server, its SQL tool and its schema, built once into the cache (minutes the first time). */
export async function ensureTemporalServerBuild(log: Log = silent): Promise<ServerBuild> {
  const target = built();
  if (isExecutable(target.server) && isExecutable(target.sqlTool) && existsSync(target.schemaDir)) return target;
  const go = which('go');
  if (!go) throw new Error(`building Temporal Server v${TEMPORAL_SERVER_VERSION} needs Go >= 1.25 on PATH and the Go module proxy`);
  mkdirSync(cacheDir(), { recursive: true });
  // A private module that depends on the server's, so its commands build as they are released;
  // everything lands in a temp dir first and is renamed into place whole.
  const work = mkdtempSync(join(cacheDir(), `temporal-server-v${TEMPORAL_SERVER_VERSION}.building-`));
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const onLine = (line: string) => log(`  ${line}`);
  const started = Date.now();
  log(`building Temporal Server v${TEMPORAL_SERVER_VERSION} and its SQL tool with ${go} (first run only)`);
  try {
    writeFileSync(join(work, 'go.mod'), 'module temporal-server-build\n\ngo 1.25\n');
    await run(go, ['get', `${MODULE}@v${TEMPORAL_SERVER_VERSION}`], { cwd: work, env, onLine });
    const out = join(work, 'out');
    await run(go, ['build', '-ldflags=-s -w', '-o', join(out, 'temporal-server'), `${MODULE}/cmd/server`], { cwd: work, env, onLine });
    await run(go, ['build', '-ldflags=-s -w', '-o', join(out, 'temporal-sql-tool'), `${MODULE}/cmd/tools/sql`], { cwd: work, env, onLine });
    const moduleDir = (await run(go, ['list', '-m', '-f', '{{.Dir}}', MODULE], { cwd: work, env })).stdout.trim();
    cpSync(join(moduleDir, 'schema', 'postgresql', 'v12'), join(out, 'schema'), { recursive: true });
    // Another process (the mTLS test and the benchmark smoke run side by side in npm test) may have
    // finished the same build meanwhile: its copy stays, since a server may already run from it.
    if (!(isExecutable(target.server) && isExecutable(target.sqlTool) && existsSync(target.schemaDir))) {
      rmSync(buildDir(), { recursive: true, force: true });
      renameSync(out, buildDir());
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`built Temporal Server v${TEMPORAL_SERVER_VERSION} in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

/** The frontend behind mutual TLS (`global.tls.frontend` with `requireClientAuth`). PEM files. */
export interface TemporalServerTls {
  /** The frontend's certificate and key; the server presents them as a client of its frontend too (its system worker, and here to register the namespace), so they carry client authentication. */
  certFile: string;
  keyFile: string;
  /** The CA client certificates must come from; the server's own certificate must come from it too. */
  caFile: string;
  /** A name in the server's certificate, which its own connections to the frontend check. */
  serverName: string;
}

export interface TemporalServerOnPostgres {
  address: string;
  /** The frontend's HTTP API (behind the same TLS as its gRPC port). */
  httpAddress: string;
  /** The folder of its configuration, which its command line names (to find its process). */
  configRoot: string;
  stop(): Promise<void>;
}

/**
 * Starts Temporal Server with its persistence and visibility in two databases of its own on the
 * PostgreSQL at `databaseUrl`, made and brought to the server's schema first, and the `default`
 * namespace registered. Its configuration and the name of its databases come from `dir`.
 */
export async function startTemporalServerOnPostgres(opts: {
  databaseUrl: string;
  dir: string;
  log?: Log;
  tls?: TemporalServerTls;
}): Promise<TemporalServerOnPostgres> {
  const log = opts.log ?? silent;
  const build = await ensureTemporalServerBuild(log);
  const db = new URL(opts.databaseUrl);
  const connect = { host: db.hostname, port: db.port || '5432', user: decodeURIComponent(db.username), password: decodeURIComponent(db.password) };
  const tool = ['--plugin', 'postgres12', '--ep', connect.host, '-p', connect.port, '-u', connect.user, '--pw', connect.password];
  // Databases of this server's own, named after its folder: a PostgreSQL that holds others keeps them apart.
  const prefix = `temporal_${basename(opts.dir).replace(/\W/g, '_').toLowerCase()}`;
  const databases = { temporal: prefix, visibility: `${prefix}_visibility` };
  for (const [database, schema] of [
    [databases.temporal, 'temporal'],
    [databases.visibility, 'visibility'],
  ]) {
    await run(build.sqlTool, [...tool, '--db', database, 'create-database']).catch((err) => {
      if (!/already exists/.test(String(err))) throw err;
    });
    await run(build.sqlTool, [...tool, '--db', database, 'setup-schema', '-v', '0.0']);
    await run(build.sqlTool, [...tool, '--db', database, 'update-schema', '-d', join(build.schemaDir, schema, 'versioned')]);
  }

  const ports = { frontend: await freePort(), frontendHttp: await freePort(), history: await freePort(), matching: await freePort(), worker: await freePort() };
  // The cluster's membership table keeps ports as smallint: they must be below 32768.
  const membership = { frontend: await lowFreePort(), history: await lowFreePort(), matching: await lowFreePort(), worker: await lowFreePort() };
  const configRoot = join(opts.dir, 'temporal-server');
  mkdirSync(join(configRoot, 'config'), { recursive: true });
  writeFileSync(join(configRoot, 'config', 'dynamicconfig.yaml'), '{}\n');
  writeFileSync(
    join(configRoot, 'config', 'development.yaml'),
    serverConfig(connect, databases, ports, membership, join(configRoot, 'config', 'dynamicconfig.yaml'), opts.tls),
  );
  const ownTls = opts.tls && {
    serverNameOverride: opts.tls.serverName,
    serverRootCACertificate: readFileSync(opts.tls.caFile),
    clientCertPair: { crt: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) },
  };

  const output = new OutputTail();
  const child = spawn(build.server, ['--root', configRoot, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, 15_000);
  };
  const address = `127.0.0.1:${ports.frontend}`;
  try {
    const connection = await pollUntil(`Temporal Server on PostgreSQL at ${address}`, () => connectOnce(address, 1000, ownTls), {
      timeoutMs: 120_000,
      abortIf: () => (hasExited(child) ? `the server exited with ${child.exitCode ?? child.signalCode}:\n${output}` : undefined),
    });
    try {
      await connection.workflowService.registerNamespace({ namespace: 'default', workflowExecutionRetentionPeriod: msToTs('3 days') }).catch((err) => {
        if (!/already exists/i.test(String(err))) throw err;
      });
      // The namespace reaches every service's cache a moment after it is registered.
      await pollUntil('namespace "default" on the Temporal server', () => connection.operatorService.listSearchAttributes({ namespace: 'default' }), {
        timeoutMs: 60_000,
      });
    } finally {
      await connection.close();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  log(`Temporal Server ${TEMPORAL_SERVER_VERSION} on PostgreSQL at ${address}${opts.tls ? ', mutual TLS required' : ''}`);
  return { address, httpAddress: `127.0.0.1:${ports.frontendHttp}`, configRoot, stop };
}

/** A free port below 32768 (outside Linux's ephemeral range, where freePort's come from). */
async function lowFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (
      await assertPortFree('127.0.0.1', port, 'membership').then(
        () => true,
        () => false,
      )
    )
      return port;
  }
  throw new Error('no free port below 32768 for the Temporal server');
}

function serverConfig(
  db: { host: string; port: string; user: string; password: string },
  databases: { temporal: string; visibility: string },
  ports: Record<'frontend' | 'frontendHttp' | 'history' | 'matching' | 'worker', number>,
  membership: Record<'frontend' | 'history' | 'matching' | 'worker', number>,
  dynamicConfig: string,
  tls?: TemporalServerTls,
): string {
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "${db.host}:${db.port}"
        connectProtocol: tcp
        user: ${JSON.stringify(db.user)}
        password: ${JSON.stringify(db.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const service = (grpc: number, member: number, extra = '') => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${member}
      bindOnLocalHost: true${extra}`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(databases.temporal, 20)}
    visibility:${store(databases.visibility, 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1${tls ? frontendTls(tls) : ''}
services:
  frontend:${service(ports.frontend, membership.frontend, `\n      httpPort: ${ports.frontendHttp}`)}
  history:${service(ports.history, membership.history)}
  matching:${service(ports.matching, membership.matching)}
  worker:${service(ports.worker, membership.worker)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${ports.frontend}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${dynamicConfig}
  pollInterval: 10s
`;
}

/**
 * The frontend (gRPC and HTTP) accepts only TLS clients whose certificate its CA signed. The other
 * services talk over loopback here, so internode stays plaintext; the system worker (schedules,
 * batch operations) is a client of the frontend like any other and presents the server's certificate.
 */
function frontendTls(tls: TemporalServerTls): string {
  return `
  tls:
    frontend:
      server:
        certFile: ${JSON.stringify(tls.certFile)}
        keyFile: ${JSON.stringify(tls.keyFile)}
        requireClientAuth: true
        clientCaFiles:
          - ${JSON.stringify(tls.caFile)}
    systemWorker:
      certFile: ${JSON.stringify(tls.certFile)}
      keyFile: ${JSON.stringify(tls.keyFile)}
      client:
        serverName: ${JSON.stringify(tls.serverName)}
        rootCaFiles:
          - ${JSON.stringify(tls.caFile)}`;
}
