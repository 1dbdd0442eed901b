import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { workflowIdFor } from '../../domain/tracking-number';
import { Overdue } from '../../workflows/search-attributes';
import { chromiumArgs, ensureChromium } from '../../scripts/provision/chromium';
import { eventually, startStack, type Stack } from '../support/stack';

// A supervisor's view (督办): in the Temporal Web UI's own query box, `Overdue = true` finds the
// suggestion whose time limit has passed and none of those still within it. Real Chromium, the
// real dev server's UI, suggestions submitted through the API.

const artifacts = join(__dirname, '..', '..', 'test-artifacts');
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  const executablePath = await ensureChromium((m) => process.stderr.write(`[chromium] ${m}\n`));
  [stack, browser] = await Promise.all([startStack(), chromium.launch({ executablePath, args: chromiumArgs })]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

function uiUrl(): string {
  const url = process.env.TEST_TEMPORAL_UI_URL;
  if (!url) throw new Error('TEST_TEMPORAL_UI_URL is not set: the Web UI runs only when the test run starts its own dev server (no TEMPORAL_ADDRESS)');
  return url;
}

const suggestion = (title: string) => ({
  title,
  content: 'Buses stop right after the crossing and block the junction at rush hour; move the stop north.',
  category: 'transport',
  district: 'yangpu',
  proposer: { name: 'Zhao Min', phone: '13800000003', replyChannel: 'sms' },
});

async function submit(body: unknown, key?: string): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/v1/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return workflowIdFor(((await res.json()) as { trackingNumber: string }).trackingNumber);
}

/**
 * Runs a query in the UI's manual query box and returns the workflow ids its result table lists,
 * once the table shows what the UI's own request for that query answered (no stale rows).
 */
async function searchInUi(page: Page, query: string): Promise<string[]> {
  const box = page.getByTestId('manual-search-input');
  if (!(await box.isVisible())) await page.getByTestId('toggle-manual-query').click();
  await box.fill(query);
  const answer = page.waitForResponse((res) => {
    const url = new URL(res.url());
    return url.pathname.endsWith('/namespaces/default/workflows') && (url.searchParams.get('query') ?? '').includes(query);
  });
  await page.getByTestId('manual-search-button').click();
  const body = (await (await answer).json()) as { executions?: { execution: { workflowId: string } }[] };
  const answered = (body.executions ?? [])
    .map((e) => e.execution.workflowId)
    .filter((id) => id.startsWith('suggestion-'))
    .sort();
  const listed = async () => {
    const hrefs = await page.locator('a[href*="/workflows/suggestion-"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    return [...new Set(hrefs.map((href) => decodeURIComponent(href.split('/workflows/')[1].split('/')[0])))].sort();
  };
  await eventually(async () => JSON.stringify(await listed()) === JSON.stringify(answered), `the UI's table to show the answer to ${query}`);
  return listed();
}

test('a supervisor types Overdue = true in the Temporal UI and sees exactly the overdue suggestion', async () => {
  const intakeKey = await stack.issueKey('intake');
  // A letter registered 60 days after it arrived: its 30-day response limit has long passed.
  const receivedAt = new Date(Date.now() - 60 * 24 * 3600_000).toISOString();
  const overdueId = await submit({ ...suggestion('A late letter about the Guoding Road stop'), channel: 'letter', receivedAt }, intakeKey);
  const onTimeIds = await Promise.all([submit(suggestion('Move the Guoding Road stop')), submit(suggestion('Longer green light at Siping Road'))]);

  // The UI reads the same visibility store: wait until it has indexed all three, escalation included.
  const ours = `TaskQueue = "${stack.taskQueue}"`;
  await eventually(
    async () => {
      const overdue: string[] = [];
      const all: string[] = [];
      for await (const wf of stack.temporal.workflow.list({ query: ours })) {
        all.push(wf.workflowId);
        if (wf.typedSearchAttributes.get(Overdue) === true) overdue.push(wf.workflowId);
      }
      return all.length === 3 && overdue.length === 1 && overdue[0] === overdueId;
    },
    'the overdue escalation to reach the visibility store',
    60_000,
  );

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${uiUrl()}/namespaces/default/workflows`);

  // The supervisor's filter as typed: other test files share the server, so only our three count here.
  const overdueAnywhere = await searchInUi(page, 'Overdue = true');
  expect(overdueAnywhere).toContain(overdueId);
  for (const id of onTimeIds) expect(overdueAnywhere).not.toContain(id);

  const shown = await searchInUi(page, `Overdue = true AND ${ours}`);
  expect(shown).toEqual([overdueId]);
  await page.getByText('1 Workflow', { exact: true }).waitFor();
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'temporal-ui-overdue.png'), fullPage: true });
});
