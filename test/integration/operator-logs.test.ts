import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { hashApiKey } from '../../api/auth';
import { connectDatabase } from '../../prisma/client';
import { ownDatabase, parseLine, startServiceProcess, type ServiceProcess } from '../support/service-process';
import { suggestionWorkflowType } from '../../domain/workflow-types';

// Operators read one JSON object a line from the API and the worker processes: each request with
// its id, route and status, each line about a suggestion with its tracking number and workflow
// id, the Temporal SDK's lines included, and never the proposer's identity (建议人信息保密).

const proposer = { name: 'Chen Xiaoyu', phone: '13912345678', email: 'chen.xiaoyu@example.com', replyChannel: 'email' };

test("the API's and the worker's JSON logs name the request and the suggestion, never the proposer", async () => {
  const database = await ownDatabase();
  const taskQueue = `logs-${randomUUID()}`;
  const env = {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
    LOG_LEVEL: 'debug',
    PORT: '0',
  };
  const processes: ServiceProcess[] = [];
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const db = connectDatabase(database.url, 1);
  try {
    const api = startServiceProcess('api/main.ts', env);
    const worker = startServiceProcess('worker/main.ts', env);
    processes.push(api, worker);
    const { url } = (await api.waitForLine('its address', (e) => e.msg === 'API listening')) as { url: string };
    await worker.waitForLine('the worker running', (e) => e.msg === 'Worker state changed' && e.state === 'RUNNING');

    const submitted = await fetch(`${url}/v1/suggestions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'kiosk-7-000123' },
      body: JSON.stringify({
        title: 'Benches at the Anshan Road stop',
        content: 'Older people wait standing for the 118; two benches would do.',
        category: 'transport',
        district: 'yangpu',
        proposer,
      }),
    });
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('x-request-id')).toBe('kiosk-7-000123');
    const { trackingNumber } = (await submitted.json()) as { trackingNumber: string };
    const workflowId = `suggestion-${trackingNumber}`;

    const officeKey = `test-${randomUUID()}`;
    await db.apiKey.create({ data: { id: randomUUID(), hash: hashApiKey(officeKey), label: 'office test key', role: 'office' } });
    const read = await fetch(`${url}/v1/suggestions/${trackingNumber}`, { headers: { authorization: `Bearer ${officeKey}` } });
    expect(read.status).toBe(200);
    const readId = read.headers.get('x-request-id');

    expect(await api.waitForLine('the intake request', (e) => e.requestId === 'kiosk-7-000123')).toMatchObject({
      service: 'api',
      level: 'info',
      msg: 'request',
      method: 'POST',
      route: '/v1/suggestions',
      status: 202,
      trackingNumber,
      workflowId,
    });
    expect(await api.waitForLine('the read', (e) => e.requestId === readId)).toMatchObject({
      method: 'GET',
      route: '/v1/suggestions/:id',
      status: 200,
      trackingNumber,
      workflowId,
    });
    // The worker's lines about this suggestion (the SDK's workflow and activity lines) carry both ids.
    const activity = await worker.waitForLine('an activity of the suggestion', (e) => e.workflowId === workflowId && typeof e.activityType === 'string');
    expect(activity).toMatchObject({ service: 'worker', trackingNumber, workflowId });
    await worker.waitForLine('its workflow task', (e) => e.workflowId === workflowId && e.workflowType === suggestionWorkflowType);
    for (const line of [...api.lines, ...worker.lines].filter((l) => l.includes(workflowId))) {
      expect(JSON.parse(line)).toMatchObject({ trackingNumber });
    }

    await new Client({ connection }).workflow.getHandle(workflowId).terminate('log test done');
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await connection.close();
    await db.$disconnect();
    await database.drop();
  }
  const everything = processes.flatMap((p) => p.lines).join('\n');
  // One JSON object a line, the SDK's native core included.
  expect(processes.flatMap((p) => p.lines).filter((line) => parseLine(line) === undefined)).toEqual([]);
  for (const personal of [proposer.name, proposer.phone, proposer.email, 'Chen', '13912345678']) expect(everything).not.toContain(personal);
});
