import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumArgs, ensureChromium } from '../../scripts/provision/chromium';
import { ensureCjkFont } from '../../scripts/provision/cjk-font';
import { fileForm, png } from '../support/attachments';
import { apiClient } from '../support/feedback-api';
import type { Stack } from '../support/stack';
import { axeSource, signIn, startWorkbenchStack, type WorkbenchStack } from '../support/workbench';

// A department officer's day in the workbench, in real Chromium against the real API, worker,
// Temporal and PostgreSQL, signed in through npm start's OpenID provider: the suggestion the
// routing rules gave the department is in the inbox, the decision form shows the API's refusal
// beside its fields and keeps what was typed, the adoption goes in with its plan, and progress
// on the milestone is reported from the keyboard alone. Every page passes axe in both languages.

const artifacts = join(__dirname, '..', '..', 'test-artifacts');
const axe = axeSource();
let wb: WorkbenchStack;
let browser: Browser;
let context: BrowserContext;
const { call, projected } = apiClient(() => wb.stack as Stack);

beforeAll(async () => {
  const executablePath = await ensureChromium((m) => process.stderr.write(`[chromium] ${m}\n`));
  await ensureCjkFont((m) => process.stderr.write(`[fonts] ${m}\n`));
  // Access tokens of 40 s, refreshed 30 s before they expire: the pages below act on refreshed ones.
  [wb, browser] = await Promise.all([startWorkbenchStack({ accessTokenTtl: 40 }), chromium.launch({ executablePath, args: chromiumArgs })]);
  // The pages allow no script: axe is let in by the test alone.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await wb?.stop();
});

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** No script on the page, its language declared, no axe violation; a screenshot kept. */
export async function checkPage(page: Page, name: string, lang: 'zh-CN' | 'en'): Promise<void> {
  expect(await page.locator('script').count()).toBe(0);
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  await page.addScriptTag({ content: axe });
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  expect(violations.map((v) => `${name} (${lang}): ${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.screenshot({ path: join(artifacts, `workbench-${name}-${lang === 'en' ? 'en' : 'zh'}.png`), fullPage: true });
}

/** The same page in English, through its language link. */
async function inEnglish(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
}

test('an officer signs in through the identity provider, finds the suggestion in the inbox, decides with a plan and reports progress from the keyboard', async () => {
  const title = `国定路公交站加装候车亭 ${randomBytes(3).toString('hex')}`;
  const photo = await fetch(`${wb.stack.baseUrl}/v1/uploads`, { method: 'POST', body: fileForm(await png(), 'stop.png', 'image/png') });
  expect(photo.status).toBe(201);
  const submitted = await call('POST', '/v1/suggestions', {
    title,
    content: '雨天候车的乘客没有遮挡，建议在国定路站加装候车亭。',
    category: 'transport',
    district: 'yangpu',
    publishConsent: true,
    place: { address: '国定路政通路口公交站', street: '310110019' },
    attachments: [((await photo.json()) as { uploadId: string }).uploadId],
    proposer: { name: '钱慧明', phone: '13900000077', replyChannel: 'sms' },
  });
  expect(submitted.status).toBe(202);
  const id: string = submitted.body.id;
  await projected(id, (r) => r.status === 'handling', 'the rule to route it to transport');

  const page = await context.newPage();
  await signIn(page, wb.baseUrl, wb.user('department', 'transport'));
  const signedIn = await wb.stack.db.staffSession.findFirstOrThrow({ where: { subject: 'token:transport' }, orderBy: { createdAt: 'desc' } });
  // The officer lands on the inbox, where the suggestion is listed with what is owed on it.
  await page.waitForURL(/\/staff\/inbox/);
  const row = page.locator('#inbox tr', { hasText: id });
  await expect(row.textContent()).resolves.toContain('办理答复');
  await checkPage(page, 'inbox', 'zh-CN');
  await inEnglish(page);
  await expect(page.locator('#inbox tr', { hasText: id }).textContent()).resolves.toContain('Decide and reply');
  await checkPage(page, 'inbox', 'en');

  // The suggestion's page: its content, deadline and the forms the lead department may use.
  await page.goto(`${wb.baseUrl}/staff/suggestions/${id}`);
  await expect(page.locator('#content').textContent()).resolves.toContain('候车亭');
  await expect(page.locator('#status').textContent()).resolves.toBe('办理中');
  // The place, and the proposer's photo as a thumbnail the workbench fetched from the API with the officer's token.
  await expect(page.locator('#place').textContent()).resolves.toBe('五角场街道 国定路政通路口公交站');
  const thumbnail = page.getByRole('img', { name: '建议人上传 1' });
  await expect(thumbnail.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth)).resolves.toBe(200);

  // Adopted without a plan: the API refuses, the page says why beside the plan, the reply typed is kept.
  const decision = page.locator('#form-decision');
  await decision.getByLabel('采纳', { exact: true }).check();
  await decision.getByLabel('给建议人的答复').fill('将在国定路站加装候车亭，年内完工。');
  await decision.getByRole('button', { name: '提交决定' }).click();
  await page.locator('#form-decision [role=alert]').waitFor();
  await page.locator('#f-plan-usage-error').waitFor();
  await expect(page.locator('#form-decision').getByLabel('公开摘要（至少 10 字）').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.locator('#form-decision').getByLabel('给建议人的答复').inputValue()).resolves.toBe('将在国定路站加装候车亭，年内完工。');
  await checkPage(page, 'decision-errors', 'zh-CN');

  const form = page.locator('#form-decision');
  await form.getByLabel('改进工作').check();
  await form.getByLabel('公开摘要（至少 10 字）').fill('国定路公交站将加装候车亭，方便雨天候车的乘客。');
  await form.locator('#f-plan-milestones-0-title').fill('建设候车亭');
  await form.locator('#f-plan-milestones-0-dueInWorkingDays').fill('20');
  await form.getByRole('button', { name: '提交决定' }).click();
  await page.getByRole('status').waitFor();
  await expect(page.locator('#outcome').textContent()).resolves.toBe('采纳');
  await checkPage(page, 'decided', 'zh-CN');

  // Once the reply went out the plan is being carried out: progress on its milestone, by keyboard alone.
  await projected(id, (r) => r.status === 'implementing', 'the plan to start');
  await page.goto(`${wb.baseUrl}/staff/suggestions/${id}?lang=en`);
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus').getAttribute('href')).resolves.toBe('#main');
  await page.keyboard.press('Enter');
  const focusOn = async (selector: string) => {
    for (let i = 0; i < 80; i += 1) {
      if (await page.locator(selector).evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  };
  await focusOn('#form-progress-M1 [name=percent]');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('100');
  await page.keyboard.press('Tab');
  await page.keyboard.type('The shelter is built and open.');
  await page.keyboard.press('Tab');
  await page.keyboard.type('https://example.gov.cn/shelter-photo');
  // The photo of the finished shelter as evidence (a file chooser is the browser's, not the page's).
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus').getAttribute('name')).resolves.toBe('evidence');
  await page.locator('#form-progress-M1 [name=evidence]').setInputFiles({ name: 'shelter.png', mimeType: 'image/png', buffer: await png() });
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus').textContent()).resolves.toBe('Report progress');
  await checkPage(page, 'progress-form', 'en');
  await page.keyboard.press('Enter');
  await page.getByRole('status').waitFor();
  await projected(id, (r) => r.status === 'implemented', 'the milestone to be done');
  await page.reload();
  await expect(page.locator('#status').textContent()).resolves.toBe('Implemented');
  const evidence = page.getByRole('img', { name: 'With the progress reports 1' });
  await expect(evidence.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth)).resolves.toBe(200);
  await checkPage(page, 'implemented', 'en');

  // The session went on with refreshed access tokens: the provider's refresh grant, not a new sign-in.
  // On a fast machine the pages above may all fit in the first token's life; once the clock is past
  // the refresh point (30 s before its expiry), the next page is served on a refreshed one.
  const refreshPoint = signedIn.accessExpiresAt.getTime() - 30_000;
  if (Date.now() <= refreshPoint) await new Promise((resolve) => setTimeout(resolve, refreshPoint - Date.now() + 1_000));
  await page.reload();
  await expect(page.locator('#status').textContent()).resolves.toBe('Implemented');
  const later = await wb.stack.db.staffSession.findUniqueOrThrow({ where: { id: signedIn.id } });
  expect(later.accessExpiresAt.getTime()).toBeGreaterThan(signedIn.accessExpiresAt.getTime());

  // The department's notices: what the chain delivered to its desk.
  await wb.stack.db.mailboxMessage.create({
    data: {
      id: `${id}:test-notice`,
      suggestionId: id,
      adapter: 'online',
      recipient: 'department:transport',
      address: 'department:transport',
      subject: `New suggestion ${id}`,
      body: `"${title}" is assigned to you.`,
    },
  });
  await page.goto(`${wb.baseUrl}/staff/notices`);
  await expect(page.locator('#notices').textContent()).resolves.toContain(`New suggestion ${id}`);
  await checkPage(page, 'notices', 'zh-CN');
  await inEnglish(page);
  await checkPage(page, 'notices', 'en');

  // Signing out needs the form's token; afterwards the pages ask for a sign-in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: /Sign out/ }).click();
  await page.goto(`${wb.baseUrl}/staff/inbox`);
  await page.getByLabel('用户名').waitFor();
});

test('a form sent without the session’s anti-forgery token is refused and changes nothing', async () => {
  const own = await browser.newContext();
  const page = await own.newPage();
  await signIn(page, wb.baseUrl, wb.user('department', 'transport'), '/staff/inbox');
  const cookies = (await own.cookies(wb.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
  const forged = await fetch(`${wb.baseUrl}/staff/suggestions/JY-20260101-AAAAAA/return`, {
    method: 'POST',
    headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded', origin: wb.baseUrl },
    body: 'reason=not+ours',
  });
  expect(forged.status).toBe(403);
  const session = (await own.cookies(wb.baseUrl)).find((c) => c.name === 'staff_session')!;
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
  await own.close();
});
