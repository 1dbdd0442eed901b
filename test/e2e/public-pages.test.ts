import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hashApiKey } from '../../api/auth';
import { connectDatabase } from '../../prisma/client';
import { shanghaiDate } from '../../domain/calendar';
import { trackingNumberPattern } from '../../domain/tracking-number';
import { demonstrationCampaign } from '../../scripts/demonstration-campaigns';
import { chromiumArgs, ensureChromium } from '../../scripts/provision/chromium';
import { ensureCjkFont } from '../../scripts/provision/cjk-font';
import { serveApi } from '../support/api-client';
import { seedDecidedSuggestions } from '../support/decided-suggestions';
import { apiClient, shelterPlan } from '../support/feedback-api';
import { eventually, startStack, type Stack } from '../support/stack';

// The citizens' pages in real Chromium on a phone-sized screen, against the real API, worker,
// Temporal dev server and PostgreSQL: a suggestion sent through the form, followed with its
// tracking number and token, answered by a department through the API, rated through the form;
// an adopted one on the board without its proposer; axe-core finds no accessibility violation on
// any page in either language. Plain HTTP shows the pages need no JavaScript and keep what was typed.

const artifacts = join(__dirname, '..', '..', 'test-artifacts');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let transportKey: string;
let officeKey: string;
const { call, projected, as, withToken } = apiClient(() => stack);

beforeAll(async () => {
  const executablePath = await ensureChromium((m) => process.stderr.write(`[chromium] ${m}\n`));
  await ensureCjkFont((m) => process.stderr.write(`[fonts] ${m}\n`));
  [stack, browser] = await Promise.all([startStack(), chromium.launch({ executablePath, args: chromiumArgs })]);
  // The pages' Content-Security-Policy allows no script at all; the checker is let in by the test alone.
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true, locale: 'zh-CN' });
  [transportKey, officeKey] = await Promise.all([stack.issueKey('department', 'transport'), stack.issueKey('office')]);
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  if (Object.keys(timings).length) writeFileSync(join(artifacts, 'public-pages-timings.json'), JSON.stringify(timings, null, 2));
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

/** Someone whose identity must never reach a public page. */
const proposer = { name: '钱慧明', phone: '13900000077', email: 'qian.huiming@example.cn' };

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the page as it stands, after checking the page itself has no script and
 * declares the language it is in; saves a screenshot under test-artifacts/.
 */
async function checkPage(page: Page, name: string, lang: 'zh-CN' | 'en'): Promise<void> {
  expect(await page.locator('script').count()).toBe(0);
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  expect(violations.map((v) => `${name} (${lang}): ${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // No pop-ups: nothing opens a window or a dialog.
  expect(await page.locator('[target], dialog, [popover]').count()).toBe(0);
  const elder = (await page.getAttribute('html', 'class')) === 'elder';
  expect(await readability(page, elder)).toEqual([]);
  await page.screenshot({ path: join(artifacts, `public-${name}-${lang === 'en' ? 'en' : 'zh'}${elder ? '-elder' : ''}.png`), fullPage: true });
  // Written as page script: the test's TypeScript has no DOM types.
  timings[`${name} ${lang}`] = await page.evaluate<{ serverMs: number; loadedMs: number; bytes: number }>(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { serverMs: Math.round(nav.responseStart - nav.requestStart), loadedMs: Math.round(nav.loadEventEnd - nav.startTime), bytes: nav.transferSize };
  })()`);
}

/**
 * What is hard to read on the page as it is drawn: lines closer than 1.3 times their text in
 * either mode (WCAG 1.4.12 asks text to survive 1.5; the pages set 1.3 and more); and in the
 * elder-friendly mode (适老化) text under 18px or controls under 44px high (a checkbox or a
 * radio button under 24px).
 */
async function readability(page: Page, elder: boolean): Promise<string[]> {
  return page.evaluate(`(() => {
    const elder = ${elder};
    const found = [];
    const controls = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'];
    for (const el of document.querySelectorAll('body *')) {
      if (!el.checkVisibility() || el.closest('.skip')) continue;
      const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!text && !controls.includes(el.tagName)) continue;
      const style = getComputedStyle(el);
      const size = parseFloat(style.fontSize);
      const spacing = parseFloat(style.lineHeight) / size;
      const where = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || '').trim().slice(0, 20) + '"';
      const small = el.type === 'radio' || el.type === 'checkbox';
      // A drop-down shows one line at a height Chromium sets itself; a check box has no text.
      const lines = el.tagName !== 'SELECT' && !small;
      if (lines && !(spacing >= 1.299)) found.push(where + ': line height ' + style.lineHeight + ' for ' + style.fontSize);
      if (!elder) continue;
      if (!small && size < 18) found.push(where + ': text of ' + style.fontSize);
      if (controls.includes(el.tagName) && el.type !== 'hidden') {
        const height = el.getBoundingClientRect().height;
        if (height < (small ? 24 : 44)) found.push(where + ': a control ' + height + 'px high');
      }
    }
    return found;
  })()`);
}

/** How each page loaded in the browser, kept beside the screenshots. */
const timings: Record<string, { serverMs: number; loadedMs: number; bytes: number }> = {};

/** Fills the submission form as a citizen would, by the labels they read. */
async function fillSuggestion(page: Page, title: string, lang: 'zh' | 'en', district = 'yangpu') {
  const zh = lang === 'zh';
  await page.getByLabel(zh ? '标题 *' : 'Title *').fill(title);
  await page.getByLabel(zh ? '建议内容 *' : 'Your suggestion *').fill('雨天候车的乘客没有遮挡，建议在国定路站加装候车亭，参照五角场站的样式。');
  await page.getByLabel(zh ? '类别 *' : 'Category *').selectOption('transport');
  await page.getByLabel(zh ? '所属区 *' : 'District *').selectOption(district);
  await page.getByLabel(zh ? '姓名' : 'Name', { exact: true }).fill(proposer.name);
  await page.getByLabel(zh ? '手机或电话' : 'Phone', { exact: true }).fill(proposer.phone);
  await page.getByLabel(zh ? '电子邮箱' : 'E-mail address', { exact: true }).fill(proposer.email);
  await page.getByLabel(zh ? '短信' : 'Text message').check();
  await page.getByLabel(zh ? /同意公开/ : /may publish/).check();
}

/** Submits the form on the page and reads the receipt's tracking number and token. */
async function sendAndReadReceipt(page: Page): Promise<{ id: string; token: string }> {
  await page.locator('form button[value=send]').click();
  const id = (await page.locator('#tracking-number').textContent())!.trim();
  const token = (await page.locator('#tracking-token').textContent())!.trim();
  expect(id).toMatch(trackingNumberPattern);
  // Four groups of five, with no 0/O or 1/l/I to mistake when it is read out or typed again.
  expect(token).toMatch(/^[2-9A-HJKMNP-Z]{5}(-[2-9A-HJKMNP-Z]{5}){3}$/);
  return { id, token };
}

async function lookUp(page: Page, id: string, token: string, lang: 'zh' | 'en') {
  await page.goto(`${stack.baseUrl}/status${lang === 'en' ? '?lang=en' : ''}`);
  await page.getByLabel(lang === 'zh' ? '建议编号' : 'Tracking number').fill(id);
  await page.getByLabel(lang === 'zh' ? '查询码' : 'Tracking token').fill(token);
  await page.getByRole('button', { name: lang === 'zh' ? '查询' : 'Look up' }).click();
}

test('a citizen sends a suggestion through the form, follows it with number and token, reads the reply the department gave through the API, and rates it', async () => {
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/submit`);
  await checkPage(page, 'submit', 'zh-CN');
  // From the keyboard: the first Tab reaches the skip link, which leads past the navigation.
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus').getAttribute('href')).resolves.toBe('#main');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('title');
  // Sent empty: the form comes back saying what is missing, each message tied to its field.
  await page.locator('form button[value=send]').click();
  await expect(page.getByLabel('标题 *').getAttribute('aria-invalid')).resolves.toBe('true');
  await page.getByRole('alert').getByRole('link', { name: '请选择所属区' }).waitFor();
  await checkPage(page, 'submit-errors', 'zh-CN');
  await fillSuggestion(page, `国定路公交站加装候车亭 ${randomBytes(3).toString('hex')}`, 'zh');
  const { id, token } = await sendAndReadReceipt(page);
  await page.getByText('请妥善保存').waitFor();
  await checkPage(page, 'receipt', 'zh-CN');

  // Registered through the same intake as the JSON API: the workflow runs and routes it.
  await projected(id, (r) => r.status === 'handling', 'the rule to route it');
  const row = await stack.db.suggestion.findUniqueOrThrow({ where: { id } });
  expect(row).toMatchObject({ channel: 'web', publishConsent: true, district: 'yangpu', category: 'transport' });

  // The receipt promises the reply by the deadline the workflow then set, and says how to follow up.
  await expect(page.locator('#reply-by').textContent()).resolves.toBe(`${shanghaiDate(row.dueAt!)}前`);
  const followUp = (await page.locator('#follow-up').textContent())!;
  expect(followUp).toContain(`${stack.baseUrl}/status`);
  expect(followUp).toContain('咨询电话 12345（全天 24 小时），说明建议编号');
  // Printed, it is the receipt alone on one sheet: no navigation, no forms.
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('nav').isVisible()).toBe(false);
  expect(await page.locator('form').first().isVisible()).toBe(false);
  expect(await page.locator('#tracking-token').isVisible()).toBe(true);
  const pdf = await page.pdf({ format: 'A4', path: join(artifacts, 'public-receipt-print-zh.pdf') });
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
  await page.screenshot({ path: join(artifacts, 'public-receipt-print-zh.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  // Saved, it is a text file with the same facts, stored nowhere on the way.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存回执（文本文件）' }).click()]);
  expect(download.suggestedFilename()).toBe(`建议回执-${id}.txt`);
  const saved = readFileSync((await download.path())!, 'utf8');
  for (const fact of [
    id,
    token,
    `收到日期：${shanghaiDate(row.receivedAt)}`,
    `答复期限：${shanghaiDate(row.dueAt!)}前`,
    `${stack.baseUrl}/status`,
    '咨询电话 12345（全天 24 小时）',
  ])
    expect(saved).toContain(fact);

  // The receipt's button opens the status page with both values sent in the form's body.
  await page.getByRole('button', { name: '查看办理进度' }).click();
  await expect(page.locator('#suggestion-status').textContent()).resolves.toBe('办理中');
  expect(page.url()).not.toContain(token);
  await checkPage(page, 'status-handling', 'zh-CN');

  const decided = await call(
    'POST',
    `/v1/suggestions/${id}/decision`,
    { outcome: 'adopted', reply: '将在国定路站加装候车亭，年内完工。', plan: shelterPlan },
    as(transportKey),
  );
  expect(decided.status).toBe(200);
  await projected(
    id,
    (r) => r.status === 'implementing' && (r.feedback as { satisfaction?: { state?: string } })?.satisfaction?.state === 'awaiting',
    'the reply and the rating window',
  );

  await lookUp(page, id, token, 'en');
  await expect(page.locator('#outcome').textContent()).resolves.toBe('Adopted');
  await page.getByRole('heading', { name: 'Rate the handling' }).waitFor();
  await checkPage(page, 'status-replied', 'en');

  // Typed back as a person might: lower case, spaces for the dashes.
  await lookUp(page, id, token.toLowerCase().replace(/-/g, ' '), 'zh');
  await expect(page.locator('#reply-text').textContent()).resolves.toBe('将在国定路站加装候车亭，年内完工。');
  await expect(page.locator('#outcome').textContent()).resolves.toBe('采纳');
  await page.getByText(shelterPlan.summary).waitFor();
  await checkPage(page, 'status-replied', 'zh-CN');

  // The department reports progress, signed by a member of staff: the proposer reads the note,
  // its date and the evidence link, and the report in the timeline, but never who wrote it.
  const staffName = '交通委办理员 王建国';
  const namedKey = `test-${randomBytes(12).toString('hex')}`;
  await stack.db.apiKey.create({
    data: { id: randomBytes(8).toString('hex'), hash: hashApiKey(namedKey), label: staffName, role: 'department', departmentCode: 'transport' },
  });
  const reported = await call(
    'POST',
    `/v1/suggestions/${id}/implementation/milestones/M1/progress`,
    { percent: 40, note: '已完成现场踏勘，候车亭选址在站台东侧。', evidenceUrl: 'https://jtw.sh.gov.cn/notice/guoding-road' },
    as(namedKey),
  );
  expect(reported.status).toBe(200);
  await projected(id, (r) => JSON.stringify(r.feedback).includes('已完成现场踏勘'), 'the progress report in the read model');
  await lookUp(page, id, token, 'zh');
  const report = page.getByRole('list', { name: 'Site survey的进展报告' }).getByRole('listitem');
  await expect(report.textContent()).resolves.toContain('进度 40%：已完成现场踏勘，候车亭选址在站台东侧。');
  const evidence = report.getByRole('link', { name: '佐证材料（jtw.sh.gov.cn）' });
  expect([await evidence.getAttribute('href'), await evidence.getAttribute('rel')]).toEqual([
    'https://jtw.sh.gov.cn/notice/guoding-road',
    'noopener noreferrer nofollow',
  ]);
  await page.locator('#timeline + ol').getByText('部门报告落实进展').waitFor();
  expect(await page.content()).not.toContain('王建国');
  await checkPage(page, 'status-progress', 'zh-CN');
  const trackedProgress = await call('GET', `/v1/suggestions/${id}/tracking`, undefined, withToken(token));
  expect(trackedProgress.body.implementation.milestones[0].reports).toEqual([
    { at: expect.any(String), percent: 40, note: '已完成现场踏勘，候车亭选址在站台东侧。', evidenceUrl: 'https://jtw.sh.gov.cn/notice/guoding-road' },
  ]);
  expect(trackedProgress.body.timeline.map((e: { type: string }) => e.type)).toContain('milestone_progress');
  expect(JSON.stringify(trackedProgress.body)).not.toContain('王建国');

  // Sending the rating form without a choice says so and rates nothing.
  await page.getByRole('button', { name: '提交评价' }).click();
  await page.getByText('请选择一项评价').first().waitFor();
  await page.getByLabel('基本满意').check();
  await page.getByLabel('意见（选填）').fill('希望早日建成。');
  await page.getByRole('button', { name: '提交评价' }).click();
  await page.getByText('感谢您的评价，已记录。').waitFor();
  await expect(page.locator('#rating-list').textContent()).resolves.toContain('基本满意 — 希望早日建成。');
  await expect(page.getByRole('heading', { name: '对办理情况作出评价' }).count()).resolves.toBe(0);
  await checkPage(page, 'status-rated', 'zh-CN');

  // Someone else about to send the same idea looks first: the published, adopted one is shown,
  // with what changes; their text stays in the form and nothing is registered.
  const before = await stack.db.suggestion.count();
  await page.goto(`${stack.baseUrl}/submit`);
  await page.getByLabel('标题 *').fill('国定路公交站能不能加一个候车亭');
  await page.getByLabel('建议内容 *').fill('国定路站没有候车亭，下雨天等车的人只能淋雨，希望加装候车亭。');
  await page.getByLabel('类别 *').selectOption('transport');
  await page.getByRole('button', { name: '先看看有没有类似的建议' }).click();
  const similar = page.getByRole('region', { name: '已答复并公开的类似建议' });
  await similar.getByText(row.title).waitFor();
  await expect(similar.textContent()).resolves.toContain(shelterPlan.summary);
  await expect(page.getByLabel('标题 *').inputValue()).resolves.toBe('国定路公交站能不能加一个候车亭');
  expect(await stack.db.suggestion.count()).toBe(before);
  await checkPage(page, 'submit-similar', 'zh-CN');

  // The rating is the workflow's: the JSON view and the read model have it.
  const tracked = await call('GET', `/v1/suggestions/${id}/tracking`, undefined, withToken(token));
  expect(tracked.body.satisfaction).toMatchObject({ state: 'rated', ratings: [{ rating: 'basically_satisfied', comment: '希望早日建成。', round: 1 }] });
  await projected(id, (r) => (r.feedback as { satisfaction?: { state?: string } })?.satisfaction?.state === 'rated', 'the rating in the read model');
  await page.close();
});

test('an adopted suggestion whose proposer consented is on the board, found with the filter form, and its proposer is nowhere in the page', async () => {
  const page = await context.newPage();
  const title = `Rain shelter at the Chongming ferry bus stop ${randomBytes(3).toString('hex')}`;
  await page.goto(`${stack.baseUrl}/submit?lang=en`);
  await checkPage(page, 'submit', 'en');
  await fillSuggestion(page, title, 'en', 'chongming');
  const { id } = await sendAndReadReceipt(page);
  await checkPage(page, 'receipt', 'en');
  await projected(id, (r) => r.status === 'handling', 'the rule to route it');
  expect(
    (await call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'adopted', reply: 'A shelter will be built.', plan: shelterPlan }, as(transportKey)))
      .status,
  ).toBe(200);
  await projected(id, (r) => r.status === 'implementing', 'the reply');

  for (const lang of ['zh', 'en'] as const) {
    await page.goto(`${stack.baseUrl}/board${lang === 'en' ? '?lang=en' : ''}`);
    const zh = lang === 'zh';
    await page.getByLabel(zh ? '所属区' : 'District').selectOption('chongming');
    await page.getByLabel(zh ? '类别' : 'Category').selectOption('transport');
    await page.getByLabel(zh ? '办理部门' : 'Department').selectOption('transport');
    await page.getByRole('button', { name: zh ? '筛选' : 'Apply filters' }).click();
    expect(new URL(page.url()).searchParams.get('district')).toBe('chongming');
    const item = page.locator('article', { has: page.getByRole('heading', { name: title }) });
    await expect(item.textContent()).resolves.toContain(zh ? '上海市交通委员会' : 'Shanghai Municipal Transportation Commission');
    await expect(item.textContent()).resolves.toContain(shelterPlan.summary);
    await expect(item.textContent()).resolves.toContain(zh ? '采纳' : 'Adopted');
    await checkPage(page, 'board', zh ? 'zh-CN' : 'en');

    const source = await page.content();
    const raw = await (await fetch(page.url())).text();
    for (const text of [source, raw]) {
      expect(text).toContain(title);
      for (const secret of Object.values(proposer)) expect(text).not.toContain(secret);
    }
  }
  await page.close();
});

test('a wrong token on the status page is headed as a mismatch, keeps what was typed, and the example number is a hint that cannot pass for a value', async () => {
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/status`);
  const number = page.getByLabel('建议编号');
  expect(await number.inputValue()).toBe('');
  expect(await number.getAttribute('placeholder')).toBeNull();
  const hint = (await page.locator('#trackingNumber-hint').textContent())!;
  expect(hint).toMatch(/^格式示例：JY-\d{8}-[0-9A-Z]{6}（/);
  await checkPage(page, 'status', 'zh-CN');

  await lookUp(page, 'JY-20260101-AAAAAA', 'k7qx2-m9hpa-3rtwe-yb8nc', 'zh');
  const alert = page.getByRole('alert');
  await alert.getByRole('heading', { name: '建议编号与查询码不匹配' }).waitFor();
  expect(await alert.textContent()).not.toContain('请修改以下内容后再提交');
  expect([await page.getByLabel('建议编号').inputValue(), await page.getByLabel('查询码').inputValue()]).toEqual([
    'JY-20260101-AAAAAA',
    'k7qx2-m9hpa-3rtwe-yb8nc',
  ]);
  expect(page.url()).toBe(`${stack.baseUrl}/status`);
  await checkPage(page, 'status-mismatch', 'zh-CN');
  await page.close();
});

test('the 长辈版 switch on every page is used from the keyboard and remembered from page to page without JavaScript, through links and forms, in both languages', async () => {
  const noScript = await browser.newContext({ viewport: screens.desktop, javaScriptEnabled: false, locale: 'zh-CN' });
  const page = await noScript.newPage();
  const mode = async () => page.getAttribute('html', 'class');
  await page.goto(`${stack.baseUrl}/board`);
  expect(await mode()).toBeNull();
  // From the keyboard: a few Tabs from the top reach the switch, Enter turns it on.
  const focused = [];
  for (let i = 0; i < 6 && focused.at(-1) !== '长辈版'; i++) {
    await page.keyboard.press('Tab');
    focused.push((await page.locator(':focus').textContent())?.trim());
  }
  expect(focused.at(-1)).toBe('长辈版');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${stack.baseUrl}/board`);
  expect(await mode()).toBe('elder');
  // Simpler in one column: the filters one under the other, each label above its own box.
  const lefts = new Set<number>();
  for (const name of ['department', 'district', 'category', 'campaign']) {
    const [label, control] = [(await page.locator(`label[for=${name}]`).boundingBox())!, (await page.locator(`select#${name}`).boundingBox())!];
    expect([name, label.y + label.height <= control.y + 1, Math.round(label.x) === Math.round(control.x)]).toEqual([name, true, true]);
    lefts.add(Math.round(control.x));
  }
  expect(lefts.size).toBe(1);
  await page.screenshot({ path: join(artifacts, 'public-board-desktop-zh-elder.png'), fullPage: true });

  // Kept through the navigation, a form sent, and the language switch; then switched off again.
  for (const [link, path] of [
    ['正在征集', '/campaigns'],
    ['提交建议', '/submit'],
    ['查询进度', '/status'],
  ]) {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: link, exact: true }).click();
    expect([new URL(page.url()).pathname, await mode()]).toEqual([path, 'elder']);
  }
  await page.getByLabel('建议编号').fill('JY-20260101-AAAAAA');
  await page.getByLabel('查询码').fill('AAAAA-BBBBB-CCCCC-DDDDD');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('heading', { name: '建议编号与查询码不匹配' }).waitFor();
  expect(await mode()).toBe('elder');
  await page.getByRole('link', { name: 'English' }).click();
  expect([page.url(), await mode(), await page.getAttribute('html', 'lang')]).toEqual([`${stack.baseUrl}/status?lang=en`, 'elder', 'en']);
  await page.getByRole('link', { name: 'Standard view' }).click();
  expect([page.url(), await mode()]).toEqual([`${stack.baseUrl}/status?lang=en`, null]);
  await page.getByRole('link', { name: 'Elder-friendly view' }).waitFor();
  await noScript.close();
});

test('in the elder-friendly mode every page passes axe in both languages, with text of 18px and more, large controls and black text', async () => {
  const elderly = await browser.newContext({ viewport: screens.phone, bypassCSP: true, locale: 'zh-CN' });
  const page = await elderly.newPage();
  await page.goto(`${stack.baseUrl}/elder?on=1&back=/submit`);
  expect([new URL(page.url()).pathname, await page.getAttribute('html', 'class')]).toEqual(['/submit', 'elder']);
  expect(await page.evaluate(`getComputedStyle(document.body).color`)).toBe('rgb(0, 0, 0)');
  expect(parseFloat(await page.evaluate(`getComputedStyle(document.body).fontSize`))).toBeGreaterThanOrEqual(18);
  for (const lang of ['zh', 'en'] as const) {
    for (const path of ['/board', '/campaigns', '/submit', '/status']) {
      await page.goto(`${stack.baseUrl}${path}${lang === 'en' ? '?lang=en' : ''}`);
      await checkPage(page, path.slice(1), lang === 'en' ? 'en' : 'zh-CN');
    }
  }
  // The way through a submission: its receipt and the status page, in the same mode.
  await page.goto(`${stack.baseUrl}/submit`);
  await fillSuggestion(page, `长者过街安全岛 ${randomBytes(3).toString('hex')}`, 'zh');
  const { id } = await sendAndReadReceipt(page);
  await checkPage(page, 'receipt', 'zh-CN');
  await projected(id, (r) => r.status === 'handling', 'the rule to route it');
  await page.getByRole('button', { name: '查看办理进度' }).click();
  await page.locator('#suggestion-status').waitFor();
  await checkPage(page, 'status-handling', 'zh-CN');
  await elderly.close();
});

/** The screens the pages are tried on: a desktop window and the phone the other tests use. */
const screens = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

test('each filter label on the board sits directly above its own drop-down, on a desktop window and on a phone', async () => {
  for (const [screen, viewport] of Object.entries(screens)) {
    const sized = await browser.newContext({ viewport, bypassCSP: true, locale: 'zh-CN' });
    const page = await sized.newPage();
    await page.goto(`${stack.baseUrl}/board`);
    const misplaced: string[] = [];
    for (const name of ['department', 'district', 'category', 'campaign']) {
      const label = (await page.locator(`label[for=${name}]`).boundingBox())!;
      const control = (await page.locator(`select#${name}`).boundingBox())!;
      const gap = control.y - (label.y + label.height);
      // Above it, close to it, and in its column: left edges aligned, the label no wider than the box.
      const together = gap >= -1 && gap <= 24 && Math.abs(label.x - control.x) <= 2 && label.x + label.width <= control.x + control.width + 1;
      if (!together)
        misplaced.push(`${screen} ${name}: label at (${label.x}, ${label.y}) ${label.width}×${label.height}, control at (${control.x}, ${control.y})`);
    }
    expect(misplaced).toEqual([]);
    await page.screenshot({ path: join(artifacts, `public-board-filters-${screen}-zh.png`) });
    await sized.close();
  }
});

test('an open campaign is listed with its topics and takes a suggestion through its own form', async () => {
  const campaignId = `pages-${randomBytes(4).toString('hex')}`;
  const created = await call(
    'POST',
    '/v1/campaigns',
    {
      id: campaignId,
      title: `15分钟社区生活圈 ${campaignId}`,
      description: '您身边还缺少哪些便民设施？欢迎提出建议。',
      topics: ['菜场和早餐', '社区养老'],
      leadDepartment: 'transport',
      districts: ['yangpu'],
      categories: ['transport', 'elderly_care'],
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
    as(officeKey),
  );
  expect(created.status).toBe(201);

  const checked = await context.newPage();
  for (const lang of ['en', 'zh'] as const) {
    await checked.goto(`${stack.baseUrl}/campaigns${lang === 'en' ? '?lang=en' : ''}`);
    await checked.getByRole('heading', { name: `15分钟社区生活圈 ${campaignId}` }).waitFor();
    await checkPage(checked, 'campaigns', lang === 'en' ? 'en' : 'zh-CN');
    await checked
      .getByRole('link', { name: lang === 'en' ? `Make a suggestion for “15分钟社区生活圈 ${campaignId}”` : `参与「15分钟社区生活圈 ${campaignId}」征集` })
      .click();
    await checkPage(checked, 'campaign-submit', lang === 'en' ? 'en' : 'zh-CN');
  }
  await checked.close();

  // The same way through with JavaScript switched off in the browser: links and forms are enough.
  const noScript = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await noScript.newPage();
  await page.goto(`${stack.baseUrl}/campaigns`);
  await page.getByRole('link', { name: `参与「15分钟社区生活圈 ${campaignId}」征集` }).click();
  await page.getByLabel('标题 *').fill('小区门口增设早餐点');
  await page.getByLabel('建议内容 *').fill('上班族早上买不到早餐，建议在小区门口设置流动早餐车。');
  await page.getByLabel('征集主题').selectOption('菜场和早餐');
  await page.getByLabel('类别 *').selectOption('transport');
  await page.getByLabel('所属区 *').selectOption('yangpu');
  const { id } = await sendAndReadReceipt(page);
  const row = await projected(id, (r) => r.status !== 'received', 'the campaign suggestion to be routed');
  expect(row).toBeDefined();
  expect(await stack.db.suggestion.findUniqueOrThrow({ where: { id } })).toMatchObject({ channel: 'campaign', campaignId });
  expect(await stack.db.campaignEntry.findUniqueOrThrow({ where: { suggestionId: id } })).toMatchObject({ campaignId, topic: '菜场和早餐' });
  await noScript.close();
});

test("the demonstration campaign npm start publishes reads in Chinese on the campaigns page, in the office's own words in either language", async () => {
  const { kind: _kind, ...demonstration } = demonstrationCampaign(new Date(Date.now() - 60_000));
  const id = `life-circle-15min-${randomBytes(3).toString('hex')}`;
  expect((await call('POST', '/v1/campaigns', { ...demonstration, id, leadDepartment: 'transport', jointDepartments: [] }, as(officeKey))).status).toBe(201);
  const page = await context.newPage();
  for (const lang of ['zh', 'en'] as const) {
    await page.goto(`${stack.baseUrl}/campaigns${lang === 'en' ? '?lang=en' : ''}`);
    const item = page.locator('article', { has: page.getByRole('heading', { name: demonstration.title }) }).first();
    await expect(item.textContent()).resolves.toContain(demonstration.description);
    for (const topic of demonstration.topics) await expect(item.textContent()).resolves.toContain(topic);
    await item.screenshot({ path: join(artifacts, `public-campaigns-demonstration-${lang}.png`) });
  }
  await page.close();
});

describe('without a browser', () => {
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

  test('every page is complete HTML without JavaScript, in Chinese or English, small, with no-store where it is personal', async () => {
    const sizes: Record<string, number> = {};
    for (const path of ['/board', '/campaigns', '/submit', '/status']) {
      for (const lang of ['zh', 'en'] as const) {
        const res = await fetch(`${stack.baseUrl}${path}${lang === 'en' ? '?lang=en' : ''}`);
        const body = await res.text();
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
        expect(body).toContain(`<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`);
        expect(body).not.toMatch(/<script|<link rel="stylesheet"/i);
        expect(body).toMatch(/<main id="main"/);
        // The help line is on every page, near the top, as a number a phone can dial.
        expect(body).toContain(
          lang === 'zh'
            ? '<p class="help" id="help-line">咨询电话：<a href="tel:12345">12345</a>（全天 24 小时）</p>'
            : '<p class="help" id="help-line">Help line: <a href="tel:12345">12345</a> (24 hours a day)</p>',
        );
        sizes[`${path} ${lang}`] = Buffer.byteLength(body);
        if (path === '/submit' || path === '/status') expect(res.headers.get('cache-control')).toBe('no-store');
      }
    }
    // A phone on a slow line gets each page in one small response: no script, no font, no image.
    for (const [page, bytes] of Object.entries(sizes)) expect(`${page}: ${bytes < 40_000}`).toBe(`${page}: true`);
    writeFileSync(join(artifacts, 'public-pages-sizes.json'), JSON.stringify(sizes, null, 2));
    const home = await fetch(`${stack.baseUrl}/?lang=en`, { redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([302, '/board?lang=en']);
    const wrongMethod = await fetch(`${stack.baseUrl}/board`, { method: 'PUT' });
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  test('the elder-friendly switch is a cookie for the whole site, set by a link that leads back only to a page of this site', async () => {
    const on = await fetch(`${stack.baseUrl}/elder?on=1&back=${encodeURIComponent('/board?district=yangpu&lang=en')}`, { redirect: 'manual' });
    expect([on.status, on.headers.get('location'), on.headers.get('cache-control')]).toEqual([303, '/board?district=yangpu&lang=en', 'no-store']);
    expect(on.headers.get('set-cookie')).toMatch(/^elder=1; Max-Age=\d{7,}; Path=\/; HttpOnly; SameSite=Lax$/);
    const off = await fetch(`${stack.baseUrl}/elder?on=0&back=/status`, { redirect: 'manual' });
    expect([off.status, off.headers.get('location'), off.headers.get('set-cookie')]).toEqual([
      303,
      '/status',
      'elder=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax',
    ]);
    for (const back of ['https://elsewhere.example/board', '//elsewhere.example/board', '/\\elsewhere.example', '/v1/suggestions', 'board']) {
      const res = await fetch(`${stack.baseUrl}/elder?on=1&back=${encodeURIComponent(back)}`, { redirect: 'manual' });
      expect([back, res.status, res.headers.get('location')]).toEqual([back, 303, '/board']);
    }
    // A header smuggled in the address never reaches a redirect: control characters are refused at the door.
    const smuggled = await fetch(`${stack.baseUrl}/elder?on=1&back=${encodeURIComponent('/board\r\nSet-Cookie: x=1')}`, { redirect: 'manual' });
    expect([smuggled.status, smuggled.headers.get('location'), smuggled.headers.get('set-cookie')]).toEqual([400, null, null]);
    const page = await (await fetch(`${stack.baseUrl}/board?lang=en`, { headers: { cookie: 'elder=1' } })).text();
    expect(page).toContain('<html lang="en" class="elder">');
    expect(page).toContain(`<a class="mode" href="/elder?on=0&amp;back=%2Fboard%3Flang%3Den&amp;lang=en">Standard view</a>`);
    const plain = await fetch(`${stack.baseUrl}/board`);
    expect(await plain.text()).toContain(`<a class="mode" href="/elder?on=1&amp;back=%2Fboard">长辈版</a>`);
    expect(plain.headers.get('vary')).toContain('Cookie');
  });

  test('the board pages through its rows ten at a time, with links that keep the filters and the language', async () => {
    // Twelve published outcomes of a campaign of their own, so the filter meets only them.
    const campaign = `pages-board-${randomBytes(4).toString('hex')}`;
    const ids = await seedDecidedSuggestions(
      stack.db,
      Array.from({ length: 12 }, (_, n) => ({
        outcome: 'adopted' as const,
        decidedAt: new Date(Date.UTC(2025, 0, 1 + n)).toISOString(),
        publishConsent: true,
      })),
    );
    await stack.db.suggestion.updateMany({ where: { id: { in: ids } }, data: { campaignId: campaign } });
    const titles = (page: string) => [...page.matchAll(/<h2>(Suggestion decided [^<]+)<\/h2>/g)].map((m) => m[1]);

    const first = await (await fetch(`${stack.baseUrl}/board?campaign=${campaign}&lang=en`)).text();
    expect(first).toContain('12 in all');
    expect(titles(first)).toHaveLength(10);
    expect(first).toContain('Page 1 of 2');
    expect(first).toContain(`<a href="/board?campaign=${campaign}&amp;page=2&amp;lang=en" rel="next">Next page</a>`);
    expect(first).not.toContain('rel="prev"');

    const second = await (await fetch(`${stack.baseUrl}/board?campaign=${campaign}&page=2&lang=en`)).text();
    expect(titles(second)).toHaveLength(2);
    expect(second).toContain(`<a href="/board?campaign=${campaign}&amp;page=1&amp;lang=en" rel="prev">Previous page</a>`);
    expect(new Set([...titles(first), ...titles(second)]).size).toBe(12);
    // Newest decision first, as the JSON board orders them.
    expect(titles(first)[0]).toContain('2025-01-12');

    const bad = await fetch(`${stack.baseUrl}/board?district=atlantis`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('筛选条件无效，已显示全部结果。');
  });

  test('bad input comes back in the form with what is wrong and everything typed kept; nothing is registered', async () => {
    const title = `x`;
    const content = `社区里<需要>更多 "长椅" ${randomBytes(3).toString('hex')}`;
    const res = await fetch(
      `${stack.baseUrl}/submit`,
      form({
        formKey: randomBytes(16).toString('base64url'),
        title,
        content,
        category: '',
        district: 'yangpu',
        phone: '12ab',
        replyChannel: 'sms',
        consent: 'yes',
      }),
    );
    const page = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(page).toContain('请填写 2–200 字的标题');
    expect(page).toContain('请选择类别');
    expect(page).toContain('请填写有效的电话号码');
    expect(page).toMatch(/<input type="text" id="title" name="title" value="x"[^>]*aria-invalid="true"/);
    expect(page).toContain(`>社区里&lt;需要&gt;更多 &quot;长椅&quot; ${content.slice(-6)}</textarea>`);
    expect(page).toMatch(/<input type="tel" id="phone" name="phone" value="12ab"/);
    expect(page).toMatch(/<option value="yangpu" selected>/);
    expect(page).toMatch(/value="sms" checked/);
    expect(page).toMatch(/name="consent" value="yes" checked/);
    expect(await stack.db.suggestion.count({ where: { content: { contains: content.slice(-6) } } })).toBe(0);

    const english = await (
      await fetch(
        `${stack.baseUrl}/submit?lang=en`,
        form({ title: 'A bench', content: 'short', category: 'transport', district: 'yangpu', replyChannel: 'email' }),
      )
    ).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('Write at least 10 and at most 20,000 characters');
    expect(english).toContain('The reply you chose needs the matching phone number or e-mail address');
    expect(english).toMatch(/value="A bench"/);
  });

  test('a form from another site is refused, a wrong token finds nothing, and the pages count against the public limit of the JSON API', async () => {
    const valid = {
      title: 'Benches on the riverside',
      content: 'Older walkers need a bench every 200 metres along the river.',
      category: 'transport',
      district: 'yangpu',
    };
    const forged = await fetch(
      `${stack.baseUrl}/submit`,
      form({ ...valid, content: `${valid.content} forged` }, { origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' }),
    );
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('该表单只能从本网站提交。');
    expect(await stack.db.suggestion.count({ where: { content: `${valid.content} forged` } })).toBe(0);

    // The receipt is saved only by the holder of the token, as an attachment no cache keeps.
    const sent = await (
      await fetch(`${stack.baseUrl}/submit?lang=en`, form({ ...valid, content: `${valid.content} ${randomBytes(3).toString('hex')}` }))
    ).text();
    const [, number, token] = /id="tracking-number">([^<]+)<[\s\S]*id="tracking-token">([^<]+)</.exec(sent)!;
    const saved = await fetch(`${stack.baseUrl}/receipt?lang=en`, form({ trackingNumber: number, token }));
    expect([saved.status, saved.headers.get('content-type'), saved.headers.get('cache-control'), saved.headers.get('content-disposition')]).toEqual([
      200,
      'text/plain; charset=utf-8',
      'no-store',
      `attachment; filename=receipt-${number}.txt`,
    ]);
    expect(await saved.text()).toContain(`Tracking token: ${token}`);
    const guessed = await fetch(`${stack.baseUrl}/receipt`, form({ trackingNumber: number, token: 'AAAAA-BBBBB-CCCCC-DDDDD' }));
    expect([guessed.status, guessed.headers.get('content-disposition')]).toEqual([404, null]);

    const unknown = await fetch(
      `${stack.baseUrl}/status?lang=en`,
      form({ trackingNumber: 'jy-20260101-aaaaaa', token: 'not-the-token' }, { origin: stack.baseUrl }),
    );
    const unknownPage = await unknown.text();
    expect(unknown.status).toBe(404);
    expect(unknownPage).toContain('No suggestion matches this tracking number and token');
    expect(unknownPage).toContain('value="JY-20260101-AAAAAA"');
    // What was typed stays in the form's fields, and the form still sends it in its body only.
    expect(unknownPage).toMatch(/<input type="text" id="token" name="token" value="not-the-token"/);
    expect(unknownPage).toContain('<form method="post" action="/status?lang=en"');

    // An API of the stack with room for two submissions a minute from one address.
    const api = await serveApi(stack, { rateLimits: { intake: { limit: 2, windowMs: 60_000 }, reads: { limit: 1000, windowMs: 60_000 } } });
    try {
      const json = await fetch(`${api.baseUrl}/v1/suggestions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(valid),
      });
      expect(json.status).toBe(202);
      const first = await fetch(`${api.baseUrl}/submit?lang=en`, form(valid, { 'sec-fetch-site': 'same-origin' }));
      expect(first.status).toBe(200);
      expect(await first.text()).toMatch(/id="tracking-number">JY-\d{8}-[0-9A-Z]{6}</);
      const limited = await fetch(`${api.baseUrl}/submit?lang=en`, form(valid, { 'sec-fetch-site': 'same-origin' }));
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await limited.text()).toContain('Too many requests. Please try again in a moment.');
    } finally {
      await api.stop();
    }
  });

  test('with PostgreSQL out of reach the board says to try again later, and the form still takes a suggestion', async () => {
    const unreachable = connectDatabase('postgresql://nobody@127.0.0.1:1/none', 1);
    const api = await serveApi(stack, { db: unreachable });
    try {
      const board = await fetch(`${api.baseUrl}/board`);
      expect([board.status, board.headers.get('retry-after'), board.headers.get('content-type')]).toEqual([503, '5', 'text/html; charset=utf-8']);
      expect(await board.text()).toContain('服务暂时不可用，请稍后再试。');
      // Intake needs only Temporal: the workflow keeps the token's hash until the database is back.
      const content = `Older walkers need a bench every 200 metres along the river. ${randomBytes(3).toString('hex')}`;
      const sent = await fetch(`${api.baseUrl}/submit`, form({ title: 'Benches on the riverside', content, category: 'transport', district: 'yangpu' }));
      const receipt = await sent.text();
      expect(sent.status).toBe(200);
      const id = /id="tracking-number">(JY-\d{8}-[0-9A-Z]{6})</.exec(receipt)![1];
      const token = /id="tracking-token">([A-Za-z0-9_-]+)</.exec(receipt)![1];
      await projected(id, (r) => r.status !== 'received', 'the suggestion in the read model of the reachable database');
      // The token given while the API could not write it works once the workflow has recorded it.
      await eventually(
        async () => (await fetch(`${stack.baseUrl}/status`, form({ trackingNumber: id, token }))).status === 200,
        'the token recorded by the workflow',
      );
    } finally {
      await api.stop();
      await unreachable.$disconnect();
    }
  });
});
