import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../scripts/provision/ports';
import { eventually } from './stack';

// `npm start` as a person runs it, for the tests that drive it: its own embedded PostgreSQL,
// Temporal dev server and SeaweedFS in a temporary data folder, on free ports, as a process group of its own.

export const root = resolve(__dirname, '../..');

/** A first start installs nothing here but bundles the workflows, next to every other test file running. */
export const startBudgetMs = 300_000;

export interface NpmStartPorts {
  api: number;
  postgres: number;
  temporal: number;
  ui: number;
  workerMetrics: number;
  /** The development identity provider's. */
  identity: number;
  /** The embedded SeaweedFS's S3 gateway. */
  objectStore: number;
}

export interface NpmStart {
  dataDir: string;
  ports: NpmStartPorts;
  /** Everything the stack printed so far. */
  output(): string;
  /** Runs `npm start` and resolves once the API answers /healthz. */
  start(): Promise<void>;
  /** Ctrl-C to the whole process group; resolves once every process in it has exited. */
  interrupt(): Promise<void>;
  /** Stops what is still running and removes the data folder. */
  dispose(): Promise<void>;
  /** The development API key `npm start` made for a role (and a department's code). */
  keyOf(role: string, departmentCode?: string): string;
  url(path: string): string;
}

export async function npmStartStack(prefix = 'npm-start-'): Promise<NpmStart> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const ports: NpmStartPorts = {
    api: await freePort(),
    postgres: await freePort(),
    temporal: await freePort(),
    ui: await freePort(),
    workerMetrics: await freePort(),
    identity: await freePort(),
    objectStore: await freePort(),
  };
  let child: ChildProcess | undefined;
  let output = '';
  const url = (path: string) => `http://127.0.0.1:${ports.api}${path}`;

  const healthy = async () => {
    try {
      return (await fetch(url('/healthz'))).status === 200;
    } catch {
      return false;
    }
  };

  const interrupt = async () => {
    const running = child;
    if (!running || !groupAlive(running)) return;
    process.kill(-running.pid!, 'SIGINT');
    await eventually(async () => !groupAlive(running), 'every process started by npm start to exit', 60_000);
  };

  return {
    dataDir,
    ports,
    output: () => output,
    url,
    async start() {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(ports.api),
        POSTGRES_PORT: String(ports.postgres),
        TEMPORAL_PORT: String(ports.temporal),
        TEMPORAL_UI_PORT: String(ports.ui),
        WORKER_METRICS_ADDRESS: `127.0.0.1:${ports.workerMetrics}`,
        OIDC_DEV_ISSUER: `http://127.0.0.1:${ports.identity}`,
        OBJECT_STORE_PORT: String(ports.objectStore),
        LOG_LEVEL: 'warn',
      };
      // The test run's own servers are not the ones under test.
      delete env.DATABASE_URL;
      delete env.TEMPORAL_ADDRESS;
      for (const name of Object.keys(env).filter((n) => n.startsWith('S3_'))) delete env[name];
      // Its own process group, so the interrupt reaches every process as a terminal's Ctrl-C does.
      child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      try {
        await eventually(healthy, 'npm start to answer /healthz', startBudgetMs);
      } catch (err) {
        throw new Error(`${(err as Error).message}\nnpm start printed:\n${output}`, { cause: err });
      }
    },
    interrupt,
    async dispose() {
      await interrupt();
      rmSync(dataDir, { recursive: true, force: true });
    },
    keyOf(role, departmentCode) {
      const keys: { role: string; departmentCode?: string; key: string }[] = JSON.parse(readFileSync(join(dataDir, 'dev-api-keys.json'), 'utf8'));
      return keys.find((k) => k.role === role && k.departmentCode === departmentCode)!.key;
    },
  };
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

export function listening(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => answer(true)));
    socket.once('error', () => answer(false));
  });
}
