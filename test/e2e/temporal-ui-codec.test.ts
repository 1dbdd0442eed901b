import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { workflowIdFor } from '../../domain/tracking-number';
import { chromiumArgs, ensureChromium } from '../../scripts/provision/chromium';
import { ensureCjkFont } from '../../scripts/provision/cjk-font';
import { freePort } from '../../scripts/provision/ports';
import { startTemporalUiServer, type TemporalUiServer } from '../../scripts/provision/temporal-ui-server';
import { eventually } from '../support/stack';
import { signIn, startWorkbenchStack, type WorkbenchStack } from '../support/workbench';

// The Temporal Web UI shows a suggestion's encrypted workflow input in clear to a member of the
// collection office signed in to the workbench, as npm start sets it up: the UI server is
// configured with the API's codec endpoint and sends the browser's cookies with its requests, and
// the codec endpoint takes the workbench's session. Before the sign-in the UI says where to sign
// in instead of that the codec server "could not connect".

const artifacts = join(__dirname, '..', '..', 'test-artifacts');
let wb: WorkbenchStack;
let ui: TemporalUiServer;
let browser: Browser;

beforeAll(async () => {
  const executablePath = await ensureChromium((m) => process.stderr.write(`[chromium] ${m}\n`));
  await ensureCjkFont((m) => process.stderr.write(`[fonts] ${m}\n`));
  const uiPort = await freePort();
  [wb, browser] = await Promise.all([
    startWorkbenchStack({ codecOrigins: [`http://127.0.0.1:${uiPort}`] }),
    chromium.launch({ executablePath, args: chromiumArgs }),
  ]);
  ui = await startTemporalUiServer({
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    port: uiPort,
    codecEndpoint: `${wb.baseUrl}/codec`,
    codecErrorMessage: 'Staff: sign in to the workbench to see payloads in clear',
    codecErrorLink: `${wb.baseUrl}/staff/sign-in`,
  });
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  await wb?.stop();
});

test('an office member signed in to the workbench reads a decoded workflow input and its summary in the Temporal UI', async () => {
  const title = 'Move the Guoding Road stop north of the crossing';
  const submitted = await fetch(`${wb.baseUrl}/v1/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title,
      content: 'Buses stop right after the crossing and block the junction.',
      category: 'transport',
      district: 'yangpu',
      proposer: { name: 'Zhao Min', phone: '13800000003', replyChannel: 'sms' },
    }),
  });
  const { trackingNumber } = (await submitted.json()) as { trackingNumber: string };
  const workflowId = workflowIdFor(trackingNumber);
  await eventually(async () => (await wb.stack.db.suggestion.findUnique({ where: { id: trackingNumber } }))?.status === 'handling', 'the workflow to route it');

  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const decodes: number[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(`${wb.baseUrl}/codec/decode`) && r.request().method() === 'POST') decodes.push(r.status());
  });
  const workflowPage = `${ui.url}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`;

  // Not signed in: the codec endpoint refuses, the UI keeps the ciphertext and says where to sign in.
  await page.goto(workflowPage);
  await page.getByText('Staff: sign in to the workbench to see payloads in clear').first().waitFor({ timeout: 60_000 });
  expect(decodes.length).toBeGreaterThan(0);
  expect(decodes.every((s) => s === 401)).toBe(true);
  await page.screenshot({ path: join(artifacts, 'temporal-ui-before-sign-in.png'), fullPage: true });

  // Signed in to the workbench (the identity provider's form), the same page decodes.
  await signIn(page, wb.baseUrl, wb.user('office'));
  decodes.length = 0;
  await page.goto(workflowPage);
  await page.getByText(title).first().waitFor({ timeout: 60_000 });
  expect(decodes).toContain(200);
  // The summary the UI shows beside the workflow: the vocabulary's words, not what the proposer wrote.
  await page.getByText(`${trackingNumber} · 交通出行 Transport · 杨浦区 Yangpu · 网上 Web`).first().waitFor();
  await page.screenshot({ path: join(artifacts, 'temporal-ui-decoded.png'), fullPage: true });
  // Every decode is on the record, under the workbench member's identity.
  const recorded = await wb.stack.db.codecDecode.findFirst({ where: { suggestionIds: { has: trackingNumber } }, orderBy: { at: 'desc' } });
  expect(recorded).toMatchObject({ staffRole: 'office', staffKeyId: 'token:office', proposersRevealed: true });
  await context.close();
});
