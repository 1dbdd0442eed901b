import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../../scripts/provision/ports';
import { eventually } from '../support/stack';

// `npm start` as a person runs it: its own embedded PostgreSQL and Temporal dev server in a data
// folder, a suggestion taken from intake to reply with plain HTTP, Ctrl-C, and a restart that
// finds everything where it was left.

const root = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
let ports: { api: number; postgres: number; temporal: number; ui: number; workerMetrics: number };
let stack: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  ports = { api: await freePort(), postgres: await freePort(), temporal: await freePort(), ui: await freePort(), workerMetrics: await freePort() };
});

afterAll(async () => {
  if (stack && groupAlive(stack)) await interrupt(stack);
  rmSync(dataDir, { recursive: true, force: true });
});

function npmStart(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(ports.api),
    POSTGRES_PORT: String(ports.postgres),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    WORKER_METRICS_ADDRESS: `127.0.0.1:${ports.workerMetrics}`,
    LOG_LEVEL: 'warn',
  };
  // The test run's own servers are not the ones under test.
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  // Its own process group, so the interrupt reaches every process as a terminal's Ctrl-C does.
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return child;
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ctrl-C to the whole process group; resolves once every process in it has exited. */
async function interrupt(child: ChildProcess): Promise<void> {
  process.kill(-child.pid!, 'SIGINT');
  await eventually(async () => !groupAlive(child), 'every process started by npm start to exit', 60_000);
}

const api = (path: string) => `http://127.0.0.1:${ports.api}${path}`;

function keyOf(role: string, departmentCode?: string): string {
  const keys: { role: string; departmentCode?: string; key: string }[] = JSON.parse(readFileSync(join(dataDir, 'dev-api-keys.json'), 'utf8'));
  return keys.find((k) => k.role === role && k.departmentCode === departmentCode)!.key;
}

async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(api(path), {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `${method}-${path}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(api('/healthz'))).status === 200;
  } catch {
    return false;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => answer(true)));
    socket.once('error', () => answer(false));
  });
}

/** A first start installs nothing here but bundles the workflows, next to every other test file running. */
const startBudgetMs = 300_000;

async function startedOrExplain(): Promise<void> {
  try {
    await eventually(healthy, 'npm start to answer /healthz', startBudgetMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nnpm start printed:\n${output}`);
  }
}

let suggestionId: string;

test('npm start brings up the stack, and a suggestion goes from intake to reply', async () => {
  stack = npmStart();
  await startedOrExplain();
  expect(output).toContain(`http://localhost:${ports.api}/openapi.json`);
  expect(output).toContain(`Temporal UI  http://127.0.0.1:${ports.ui}`);

  const submitted = await call('POST', '/v1/suggestions', keyOf('intake'), {
    title: 'A crossing light at Changyang Road',
    content: 'Children cross Changyang Road at the school gate without a light.',
    category: 'transport',
    district: 'yangpu',
    channel: 'web',
    publishConsent: false,
    proposer: { replyChannel: 'online' },
  });
  expect(submitted.status).toBe(202);
  suggestionId = submitted.body.id;

  const department = keyOf('department', 'transport');
  await eventually(async () => (await call('GET', `/v1/suggestions/${suggestionId}`, department)).body.status === 'handling', 'routing to transport');
  const decided = await call('POST', `/v1/suggestions/${suggestionId}/decision`, department, {
    outcome: 'for_reference',
    reason: 'The crossing is in next year\'s school-route programme.',
    reply: 'Kept for the school-route programme.',
  });
  expect(decided.status).toBe(200);
  const replied = await eventually(async () => {
    const { body } = await call('GET', `/v1/suggestions/${suggestionId}`, department);
    return body.repliedAt && body;
  }, 'the reply');
  expect(replied.decision.outcome).toBe('for_reference');

  // What a supervisor finds with the Web UI's own filter.
  const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  try {
    // The raw visibility listing, as the UI gets it: search attributes are plain, payloads are not.
    const found = await eventually(async () => {
      const { executions } = await connection.workflowService.listWorkflowExecutions({ namespace: 'default', query: 'Department = "transport"' });
      const ids = executions.map((e) => e.execution?.workflowId);
      return ids.length > 0 && ids;
    }, 'the workflow in visibility');
    expect(found).toEqual([`suggestion-${suggestionId}`]);
  } finally {
    await connection.close();
  }
  expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);

  // The operator's Prometheus scrapes the API and the worker: the SDK's own metrics and the service's.
  expect(output).toContain(`http://127.0.0.1:${ports.workerMetrics}/metrics (worker)`);
  const workerMetrics = await eventually(async () => {
    const text = await (await fetch(`http://127.0.0.1:${ports.workerMetrics}/metrics`)).text();
    return /^suggestion_decisions\{[^}]*outcome="for_reference"[^}]*\} 1$/m.test(text) && text;
  }, 'the decision in the worker\'s metrics', 60_000);
  expect(workerMetrics).toMatch(/^temporal_workflow_task_execution_latency_seconds_count\{.*workflow_type="suggestionWorkflow".*\} [1-9]/m);
  expect(await (await fetch(api('/metrics'))).text()).toMatch(/^http_requests_total\{/m);
}, startBudgetMs + 120_000);

test('Ctrl-C stops every process, and a restart finds the suggestion where it was', async () => {
  await interrupt(stack!);
  expect(output).toContain('[stack] stopping...');
  for (const port of Object.values(ports)) expect([port, await listening(port)]).toEqual([port, false]);

  stack = npmStart();
  await startedOrExplain();
  const { body } = await call('GET', `/v1/suggestions/${suggestionId}`, keyOf('department', 'transport'));
  expect(body.decision.outcome).toBe('for_reference');
  expect(body.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['registered', 'assigned', 'decided', 'replied']));
  await interrupt(stack);
}, startBudgetMs + 120_000);
