import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { fileForm, png } from '../support/attachments';
import { listening, npmStartStack, startBudgetMs, type NpmStart, type NpmStartPorts } from '../support/npm-start';
import { eventually } from '../support/stack';

// `npm start` as a person runs it: its own embedded PostgreSQL, Temporal dev server and SeaweedFS
// in a data folder, a suggestion taken from intake to reply with plain HTTP, a photo attached,
// Ctrl-C, and a restart that finds everything where it was left.

let stack: NpmStart;
let ports: NpmStartPorts;
const output = () => stack.output();

beforeAll(async () => {
  stack = await npmStartStack();
  ports = stack.ports;
});

afterAll(async () => {
  await stack.dispose();
});

const api = (path: string) => stack.url(path);
const keyOf = (role: string, departmentCode?: string) => stack.keyOf(role, departmentCode);

async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(api(path), {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `${method}-${path}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

let suggestionId: string;

test(
  'npm start brings up the stack, and a suggestion goes from intake to reply',
  async () => {
    await stack.start();
    expect(output()).toContain(`http://localhost:${ports.api}/openapi.json`);
    expect(output()).toContain(`Temporal UI  http://127.0.0.1:${ports.ui}`);
    // The workbench, and a development sign-in for every role and department, kept in the data folder.
    expect(output()).toContain(`Workbench    http://127.0.0.1:${ports.api}/staff/`);
    expect(output()).toMatch(/Development sign-ins for the workbench[^\n]*\n(\s+\S+\s+\S+\s+\S+\n)+/);
    const users: { username: string; password: string }[] = JSON.parse(readFileSync(join(stack.dataDir, 'dev-users.json'), 'utf8'));
    for (const username of ['office', 'supervisor', 'transport']) expect(output()).toContain(` ${username} `);
    expect(users.find((u) => u.username === 'transport')?.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((statSync(join(stack.dataDir, 'dev-users.json')).mode & 0o777).toString(8)).toBe('600');

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
      reason: "The crossing is in next year's school-route programme.",
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
    expect(output()).toContain(`http://127.0.0.1:${ports.workerMetrics}/metrics (worker)`);
    expect(output()).toContain(`http://127.0.0.1:${ports.api}/metrics (API: from this machine only`);
    const workerMetrics = await eventually(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${ports.workerMetrics}/metrics`)).text();
        return /^suggestion_decisions\{[^}]*outcome="for_reference"[^}]*\} 1$/m.test(text) && text;
      },
      "the decision in the worker's metrics",
      60_000,
    );
    expect(workerMetrics).toMatch(/^temporal_workflow_task_execution_latency_seconds_count\{.*workflow_type="suggestionWorkflow".*\} [1-9]/m);
    expect(await (await fetch(api('/metrics'))).text()).toMatch(/^http_requests_total\{/m);
  },
  startBudgetMs + 120_000,
);

let photo: { suggestionId: string; uploadId: string; sha256: string };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fileFor = async (key: string) => {
  const response = await fetch(api(`/v1/suggestions/${photo.suggestionId}/attachments/${photo.uploadId}`), { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
};

test("a citizen's photo goes to npm start's own object store and is served back to the office", async () => {
  expect(output()).toContain(
    `Files        http://127.0.0.1:${ports.objectStore}, bucket suggestion-chain (SeaweedFS, data in ${join(stack.dataDir, 'object-store')})`,
  );
  const uploaded = await fetch(api('/v1/uploads'), { method: 'POST', body: fileForm(await png(), 'junction.png', 'image/png') });
  expect(uploaded.status).toBe(201);
  const receipt = (await uploaded.json()) as { uploadId: string; sha256: string; contentType: string };
  expect(receipt.contentType).toBe('image/png');

  const submitted = await fetch(api('/v1/suggestions'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'A shelter for the Guoding Road stop',
      content: 'The stop at Guoding Road has no shelter; the photo shows it in the rain.',
      category: 'transport',
      district: 'yangpu',
      publishConsent: false,
      attachments: [receipt.uploadId],
    }),
  });
  expect(submitted.status).toBe(202);
  photo = { suggestionId: ((await submitted.json()) as { id: string }).id, uploadId: receipt.uploadId, sha256: receipt.sha256 };

  const office = keyOf('office');
  const file = await eventually(async () => {
    const served = await fileFor(office);
    return served.status === 200 && served;
  }, 'the photo served to the office');
  expect(sha256(file.bytes)).toBe(photo.sha256);
}, 120_000);

test(
  'Ctrl-C stops every process, and a restart finds the suggestion where it was',
  async () => {
    await stack.interrupt();
    expect(output()).toContain('[stack] stopping...');
    for (const port of Object.values(ports)) expect([port, await listening(port)]).toEqual([port, false]);

    await stack.start();
    const { body } = await call('GET', `/v1/suggestions/${suggestionId}`, keyOf('department', 'transport'));
    expect(body.decision.outcome).toBe('for_reference');
    expect(body.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['registered', 'assigned', 'decided', 'replied']));
    // The photo too, from the same folder of the object store.
    const file = await fileFor(keyOf('office'));
    expect([file.status, sha256(file.bytes)]).toEqual([200, photo.sha256]);
    await stack.interrupt();
  },
  startBudgetMs + 120_000,
);
