import { randomUUID } from 'node:crypto';
import { hashApiKey } from '../../api/auth';
import type { StaffRole } from '../../domain/vocabulary';
import { connectDatabase } from '../../prisma/client';
import { freePort } from '../../scripts/provision/ports';
import { pollUntil } from '../../scripts/provision/process';
import { ownDatabase, startServiceProcess, type ServiceProcess } from '../support/service-process';

// Next to the SDK's metrics, the worker reports the service's own: suggestions by status, open
// suggestions past their time limit, decisions by outcome; here after suggestions go through the
// real API and worker processes.

const busStop = {
  title: 'Move the bus stop on Guoding Road',
  content: 'The stop sits right after the crossing, so buses block the junction at rush hour.',
  category: 'transport',
  district: 'yangpu',
  proposer: { phone: '13800000009', replyChannel: 'sms' },
};

test('the worker reports suggestions by status, the overdue count and decisions by outcome', async () => {
  const database = await ownDatabase();
  const address = `127.0.0.1:${await freePort()}`;
  const env = {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `domain-metrics-${randomUUID()}`,
    WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
    LOG_LEVEL: 'warn',
    PORT: '0',
  };
  const db = connectDatabase(database.url, 1);
  const processes: ServiceProcess[] = [];
  const issueKey = async (role: StaffRole, departmentCode?: string) => {
    const key = `test-${randomUUID()}`;
    await db.apiKey.create({ data: { id: randomUUID(), hash: hashApiKey(key), label: `${role} test key`, role, departmentCode } });
    return key;
  };
  try {
    const worker = startServiceProcess('worker/main.ts', { ...env, WORKER_METRICS_ADDRESS: address });
    const api = startServiceProcess('api/main.ts', { ...env, LOG_LEVEL: 'info' });
    processes.push(worker, api);
    const { url } = (await api.waitForLine('its address', (e) => e.msg === 'API listening')) as { url: string };
    const [intakeKey, transportKey] = await Promise.all([issueKey('intake'), issueKey('department', 'transport')]);
    const submit = async (body: unknown, key?: string) => {
      const res = await fetch(`${url}/v1/suggestions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    const decidedId = await submit(busStop);
    await submit(busStop);
    // A letter registered 60 days after it arrived: past its 30-day limit at once.
    await submit({ ...busStop, channel: 'letter', receivedAt: new Date(Date.now() - 60 * 86_400_000).toISOString() }, intakeKey);
    await pollUntil('all three assigned', async () => ((await db.suggestion.count({ where: { status: 'handling' } })) === 3 ? true : undefined), {
      timeoutMs: 60_000,
    });
    const decision = await fetch(`${url}/v1/suggestions/${decidedId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${transportKey}` },
      body: JSON.stringify({
        outcome: 'adopted',
        reply: 'The stop moves 50 m north in the next timetable change.',
        plan: {
          usage: ['improving_work'],
          summary: 'The Guoding Road stop moves 50 m north.',
          milestones: [{ title: 'Move the stop', ownerDepartment: 'transport', dueInWorkingDays: 10 }],
        },
      }),
    });
    expect(decision.status).toBe(200);

    // The gauges are refreshed from the read model every few seconds.
    const text = await pollUntil(
      'the decision in the worker metrics',
      async () => {
        const res = await fetch(`http://${address}/metrics`).catch(() => undefined);
        const body = res?.ok ? await res.text() : '';
        return /suggestion_decisions\{[^}]*outcome="adopted"[^}]*\} 1$/m.test(body) ? body : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const value = (series: string) =>
      text
        .split('\n')
        .find((line) => line.startsWith(`${series} `))
        ?.split(' ')[1];
    // Two still with the department, the adopted one being carried out (落实转化), none elsewhere.
    expect(value('suggestions{status="handling"}')).toBe('2');
    expect(value('suggestions{status="implementing"}')).toBe('1');
    expect(value('suggestions{status="triage"}')).toBe('0');
    expect(value('suggestions_overdue')).toBe('1');
    expect(value('suggestion_decisions{outcome="not_adopted"}')).toBe('0');
    // Side by side with the SDK's own metrics for the same workflows.
    expect(text).toMatch(/^temporal_workflow_task_execution_latency_seconds_count\{.*workflow_type="suggestionWorkflow".*\} [1-9]/m);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await db.$disconnect();
    await database.drop();
  }
});
