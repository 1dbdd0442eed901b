import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCsv } from '../../domain/csv';
import { workflowIdFor } from '../../domain/tracking-number';
import { as, client } from '../support/api-client';
import { startStack, type Stack } from '../support/stack';

// The hotline desk imports a 12345 export with `npm run import-hotline`: good rows become hotline
// suggestions through the real API and workflows, bad rows come back with their reasons, and
// running the import again registers nothing twice.

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'hotline-import-'));
let stack: Stack;
let intakeKey: string;

beforeAll(async () => {
  stack = await startStack();
  intakeKey = await stack.issueKey('intake');
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function importHotline(file: string, key = intakeKey): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/import-hotline.ts', file, '--concurrency', '3'],
      { cwd: root, env: { ...process.env, SUGGESTION_CHAIN_API: stack.baseUrl, SUGGESTION_CHAIN_API_KEY: key } },
      (err, stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

/** Yesterday at the given time, as the hotline writes it: Shanghai local time, no offset. */
function yesterdayAt(time: string): string {
  return `${new Date(Date.now() + 8 * 3600_000 - 24 * 3600_000).toISOString().slice(0, 10)} ${time}`;
}

const header = '工单编号,受理时间,标题,内容,类别,所属区,来电人,来电号码,答复方式,同意公开,坐席';
const content = 'The crossing has no signal for pedestrians; please add one before the school term.';
const good = Array.from(
  { length: 6 },
  (_, i) => `GD-7000${i},${yesterdayAt(`0${i}:30`)},Signal at crossing ${i},"${content}",transport,minhang,Caller ${i},1390000100${i},sms,是,desk ${i}`,
);
const bad = [
  `GD-70010,${yesterdayAt('10:00')},Stall rules,"${content}",street_food,minhang,,13900001010,,否,desk 1`,
  `GD-70011,${yesterdayAt('10:05')},Lift,"${content}",housing,minhang,Wu Lan,,sms,否,desk 2`,
];

test('good rows are registered once as hotline suggestions; bad rows come back with reasons; a second run sends nothing again', async () => {
  const file = join(dir, 'export.csv');
  writeFileSync(file, [header, good[0], bad[0], ...good.slice(1, 4), bad[1], ...good.slice(4)].join('\r\n') + '\r\n');

  const first = await importHotline(file);
  expect(first.code).toBe(3);
  expect(first.stdout).toMatch(/rows read: +8\n/);
  expect(first.stdout).toMatch(/registered: +6\n/);
  expect(first.stdout).toMatch(/rejected: +2\n/);
  expect(first.stdout).toMatch(/line 3 \(GD-70010\): category: /);
  expect(first.stdout).toMatch(/line 7 \(GD-70011\): phone: a hotline suggestion needs the caller's phone number/);
  expect(first.stderr).toContain('ignoring column(s): 坐席');
  // The bar ends at the last row.
  expect(first.stderr).toMatch(/\[#{30}\] 100% 6\/6 · 6 registered · 2 rejected/);

  const receiptsFile = join(dir, 'export.receipts.csv');
  expect(statSync(receiptsFile).mode & 0o077).toBe(0);
  const receipts = parseCsv(readFileSync(receiptsFile, 'utf8'))
    .slice(1)
    .map((r) => r.fields);
  expect(receipts.map(([workOrder]) => workOrder).sort()).toEqual(good.map((row) => row.split(',')[0]).sort());

  // Each receipt is a real suggestion, registered by the hotline with its work order, and its token works for the caller.
  const call = client(stack.baseUrl);
  for (const [workOrder, trackingNumber, token] of receipts) {
    const seen = await call('GET', `/v1/suggestions/${trackingNumber}`, undefined, as(intakeKey));
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ channel: 'hotline', category: 'transport', district: 'minhang' });
    const proposerView = await call('GET', `/v1/suggestions/${trackingNumber}/tracking`, undefined, { 'x-tracking-token': token });
    expect(proposerView.status).toBe(200);
    const described = await stack.temporal.workflow.getHandle(workflowIdFor(trackingNumber)).describe();
    expect(described.status.name).toBe('RUNNING');
    expect(workOrder).toMatch(/^GD-7000\d$/);
  }

  const rejects = parseCsv(readFileSync(join(dir, 'export.rejected.csv'), 'utf8')).map((r) => r.fields);
  expect(rejects[0]).toEqual([...header.split(','), 'reason']);
  expect(rejects.slice(1).map((r) => r[0])).toEqual(['GD-70010', 'GD-70011']);

  // Run again: the receipts say every good row is in; nothing is sent, no token is replaced.
  const again = await importHotline(file);
  expect(again.stdout).toMatch(/registered: +0\n/);
  expect(again.stdout).toMatch(/already registered: +6\n/);

  // The desk corrects the rejected rows in the rejects file and imports it.
  const corrected = readFileSync(join(dir, 'export.rejected.csv'), 'utf8')
    .replace(',street_food,', ',city_appearance,')
    .replace(',Wu Lan,,sms,', ',Wu Lan,13900001011,sms,');
  const fixFile = join(dir, 'fixed.csv');
  writeFileSync(fixFile, corrected);
  const fixed = await importHotline(fixFile);
  expect(fixed).toMatchObject({ code: 0 });
  expect(fixed.stdout).toMatch(/registered: +2\n/);
  expect(fixed.stderr).toContain('ignoring column(s): 坐席, reason');
});

test('with the receipts lost, sending the rows again lands on the suggestions they made: no second workflow', async () => {
  const file = join(dir, 'lost-receipts.csv');
  const rows = [1, 2, 3].map((i) => `GD-7100${i},${yesterdayAt('11:00')},Bench in park ${i},"${content}",city_appearance,minhang,,1390000200${i},phone,否,`);
  writeFileSync(file, [header, ...rows].join('\n'));
  const numbers = async () =>
    parseCsv(readFileSync(join(dir, 'lost-receipts.receipts.csv'), 'utf8'))
      .slice(1)
      .map((r) => `${r.fields[0]}=${r.fields[1]}`)
      .sort();

  expect((await importHotline(file)).code).toBe(0);
  const first = await numbers();
  rmSync(join(dir, 'lost-receipts.receipts.csv'));
  const second = await importHotline(file);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/registered: +3\n/);
  expect(await numbers()).toEqual(first);

  let workflows = 0;
  for await (const _ of stack.temporal.workflow.list({ query: `WorkflowId IN (${first.map((n) => `'${workflowIdFor(n.split('=')[1])}'`).join(', ')})` }))
    workflows++;
  expect(workflows).toBe(3);
});

test('a key that may not register hotline calls stops the import before any row is lost', async () => {
  const file = join(dir, 'wrong-key.csv');
  writeFileSync(file, [header, good[0].replace('GD-70000', 'GD-72000')].join('\n'));
  const run = await importHotline(file, 'not-a-key');
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/stopped: the API refused the key \(40[13] /);
});
