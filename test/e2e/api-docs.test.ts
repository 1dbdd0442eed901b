import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../../api/app';
import type { ApiContext } from '../../api/context';
import { chromiumArgs, ensureChromium } from '../../scripts/provision/chromium';
import { ensureCjkFont } from '../../scripts/provision/cjk-font';

// The interactive reference (/docs, Swagger UI) in real Chromium: an operation opened shows the
// example a person would write, not a sample made up from the schema ("stringstri"), and each
// field's description. The document needs no database or Temporal: the app serves it as built.

const artifacts = join(__dirname, '..', '..', 'test-artifacts');
let browser: Browser;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const executablePath = await ensureChromium((m) => process.stderr.write(`[chromium] ${m}\n`));
  await ensureCjkFont((m) => process.stderr.write(`[fonts] ${m}\n`));
  browser = await chromium.launch({ executablePath, args: chromiumArgs });
  const ctx = { db: {}, temporal: {}, taskQueue: 'suggestion-chain', keys: {}, forecast: { forecast: () => undefined } } as unknown as ApiContext;
  server = createApp(ctx, () => undefined).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test('an operation opened in /docs shows a realistic example and every field described, never a generated sample', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/docs`);
  for (const [tag, operation, words, field, description] of [
    ['intake', 'post_v1_suggestions', '国定路公交站加装候车亭', 'content', 'the suggestion itself (Art 10)'],
    ['handling', 'post_v1_suggestions__id__decision', '现场踏勘和方案设计', 'reply', 'the reply (答复) the proposer reads'],
    [
      'implementation',
      'post_v1_suggestions__id__implementation_milestones__milestoneId__progress',
      '候车亭基础施工已完成',
      'evidenceUrl',
      'an http(s) link to public evidence',
    ],
  ]) {
    const block = page.locator(`#operations-${tag}-${operation}`);
    await block.locator('.opblock-summary').first().click();
    const body = block.locator('.opblock-section-request-body');
    const example = (await body.locator('.body-param__example').textContent({ timeout: 10_000 }))!;
    expect(example).toContain(words);
    expect(example).not.toMatch(/"string|stringstri/);
    // The answers too: a problem says what it is, not "type": "string".
    expect(await block.locator('.responses-wrapper').textContent()).not.toMatch(/"string"|additionalProp/);
    // The schema tab: each field opens on its description.
    await body.locator('button[data-name=model]').click();
    await body.locator('button.json-schema-2020-12-accordion', { hasText: new RegExp(`^${field}$`) }).click();
    await body.getByText(description).first().waitFor({ timeout: 10_000 });
    await block.screenshot({ path: join(artifacts, `docs-${operation}.png`) });
  }
  await page.close();
});
