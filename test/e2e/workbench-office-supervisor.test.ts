import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, ensureChromium } from '../../scripts/provision/chromium';
import { ensureCjkFont } from '../../scripts/provision/cjk-font';
import { dayOf } from '../../api/workbench/frame';
import { apiClient } from '../support/feedback-api';
import type { Stack } from '../support/stack';
import { axeSource, signIn, startWorkbenchStack, type WorkbenchStack } from '../support/workbench';

// The collection office and a supervisor in the workbench, in real Chromium against the real stack:
// the office routes a suggestion from the triage queue with the department picker and finds its
// other desks (rules, time limits, calendar, campaigns, awards, the proposer's details); a
// supervisor approves an extension and reads the assessment dashboard, whose numbers are the ones
// GET /v1/statistics gives, with charts, a CSV and a report that prints on one page.

const artifacts = join(__dirname, '..', '..', 'test-artifacts');
const axe = axeSource();
let wb: WorkbenchStack;
let browser: Browser;
const { call, projected, as } = apiClient(() => wb.stack as Stack);
// A district no other test file uses, so the dashboard's figures move only with this file.
const district = 'qingpu';

beforeAll(async () => {
  const executablePath = await ensureChromium((m) => process.stderr.write(`[chromium] ${m}\n`));
  await ensureCjkFont((m) => process.stderr.write(`[fonts] ${m}\n`));
  [wb, browser] = await Promise.all([startWorkbenchStack(), chromium.launch({ executablePath, args: chromiumArgs })]);
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await wb?.stop();
});

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

async function checkPage(page: Page, name: string): Promise<void> {
  const lang = (await page.getAttribute('html', 'lang')) as string;
  expect(await page.locator('script').count()).toBe(0);
  await page.addScriptTag({ content: axe });
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  expect(violations.map((v) => `${name} (${lang}): ${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.screenshot({ path: join(artifacts, `workbench-${name}-${lang === 'en' ? 'en' : 'zh'}.png`), fullPage: true });
}

/** Both languages of a page pass axe. */
async function checkBoth(page: Page, path: string, name: string): Promise<void> {
  for (const lang of ['zh', 'en']) {
    await page.goto(`${wb.baseUrl}${path}${lang === 'en' ? (path.includes('?') ? '&' : '?') + 'lang=en' : ''}`);
    await checkPage(page, name);
  }
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return context.newPage();
}

test('the office routes a triage item with the department picker, and its other desks pass axe in both languages', async () => {
  const submitted = await call('POST', '/v1/suggestions', {
    title: `长宁路夜间噪音 ${randomBytes(3).toString('hex')}`,
    content: '夜间施工噪音扰民，建议规定施工时段。',
    category: 'other',
    district,
    proposer: { name: '孙立', phone: '13900000123', replyChannel: 'sms' },
  });
  const id: string = submitted.body.id;
  await projected(id, (r) => r.status === 'triage', 'the suggestion to wait in triage');

  const page = await newPage();
  await signIn(page, wb.baseUrl, wb.user('office'));
  await page.waitForURL(/\/staff\/triage/);
  // The queue is the oldest first and shared with other test files: page on until ours shows.
  for (let i = 0; i < 20 && (await page.locator('#triage tr', { hasText: id }).count()) === 0; i += 1) {
    await page.getByRole('link', { name: '下一页' }).click();
  }
  await checkPage(page, 'triage');
  await page.locator('#triage tr', { hasText: id }).getByRole('link').click();
  const form = page.locator('#form-assignment');
  // Sent without a department: the API's refusal is beside the picker, the reason typed is kept.
  await form.getByLabel('交办说明').fill('施工噪音由生态环境部门主管。');
  await form.getByRole('button', { name: '交办' }).click();
  await page.locator('#form-assignment [role=alert]').waitFor();
  await expect(form.getByLabel('交办说明').inputValue()).resolves.toBe('施工噪音由生态环境部门主管。');
  await checkPage(page, 'assignment-errors');
  await form.getByLabel('主办部门').selectOption('ecology');
  await form.getByLabel('会办部门（可多选）').selectOption(['yangpu-gov']);
  await form.getByRole('button', { name: '交办' }).click();
  await page.getByRole('status').waitFor();
  await projected(id, (r) => r.status === 'handling', 'the assignment');
  const row = await wb.stack.db.suggestion.findUniqueOrThrow({ where: { id } });
  expect(row).toMatchObject({ leadDepartment: 'ecology', coDepartments: ['yangpu-gov'] });

  // The proposer's details, which the office holds in custody; their erasure asks for the number.
  await page.getByRole('link', { name: /查看建议人信息/ }).click();
  await expect(page.locator('#proposer-name').textContent()).resolves.toBe('孙立');
  await checkPage(page, 'proposer');
  await page.getByLabel(/请输入建议编号/).fill('JY-00000000-WRONG0');
  await page.getByRole('button', { name: '删除个人信息' }).click();
  await page.getByRole('alert').waitFor();
  await page.getByLabel(/请输入建议编号/).fill(id);
  await page.getByRole('button', { name: '删除个人信息' }).click();
  await page.getByText('应建议人要求删除').waitFor();

  for (const [path, name] of [
    ['/staff/routing-rules', 'routing-rules'],
    ['/staff/time-settings', 'time-settings'],
    ['/staff/calendar-years', 'calendar-years'],
    ['/staff/campaigns', 'campaigns'],
    ['/staff/awards', 'awards'],
  ]) {
    await checkBoth(page, path, name);
  }
  await page.context().close();
});

test('beside a suggestion the office sees the others about the same matter, and merges one into another', async () => {
  // Two proposers about one bus stop, in their own words (from the labelled set, test/fixtures/similarity/).
  const run = randomBytes(2).toString('hex');
  const about = { category: 'transport', district: 'yangpu', proposer: { replyChannel: 'online' } };
  const first = await call('POST', '/v1/suggestions', {
    ...about,
    title: `国定路公交站加装候车亭 ${run}`,
    content: '国定路站台只有一根站牌，没有候车亭。下雨天等车的老人和学生只能撑伞站在路边淋雨，建议加装候车亭并放几张座椅。',
  });
  const second = await call('POST', '/v1/suggestions', {
    ...about,
    title: `国定路站没有遮雨棚 ${run}`,
    content: '每天早上在国定路公交站等车，夏天晒冬天淋，站台连个遮雨棚都没有，希望尽快装一个候车亭。',
  });
  const [primary, duplicate] = [first.body.id as string, second.body.id as string];
  for (const id of [primary, duplicate]) await projected(id, (r) => r.status === 'handling', 'the suggestion routed');

  const page = await newPage();
  await signIn(page, wb.baseUrl, wb.user('office'));
  await page.goto(`${wb.baseUrl}/staff/suggestions/${duplicate}`);
  await page.locator(`#similar tr[data-id="${primary}"]`).waitFor();
  await checkPage(page, 'similar');
  const form = page.locator('#form-merge');
  await form.getByLabel(/并入的建议编号/).fill(primary);
  await form.getByLabel(/合并理由/).fill('同一公交站（国定路）加装候车亭，合并办理。');
  await form.getByRole('button', { name: '合并' }).click();
  await page.getByRole('status').waitFor();
  await expect(page.locator('#status').textContent()).resolves.toBe('已合并办理');
  await projected(primary, (r) => JSON.stringify(r).includes(duplicate), 'the primary listing the merged one');
  // Undone from the same page, with a reason.
  await page.locator('#form-unmerge').getByLabel('恢复单独办理的理由').fill('经核实为两个站台，恢复单独办理。');
  await page.locator('#form-unmerge').getByRole('button', { name: '恢复单独办理' }).click();
  await page.getByRole('status').waitFor();
  await expect(page.locator('#status').textContent()).resolves.toBe('办理中');
  await page.context().close();
});

test('a supervisor approves an extension and reads the dashboard, whose numbers are those of /v1/statistics', async () => {
  const transportKey = await wb.stack.issueKey('department', 'transport');
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const submitted = await call('POST', '/v1/suggestions', {
      title: `青浦公交线路优化 ${i} ${randomBytes(2).toString('hex')}`,
      content: '建议增开青浦新城至地铁站的接驳线路。',
      category: 'transport',
      district,
    });
    ids.push(submitted.body.id);
  }
  for (const id of ids) await projected(id, (r) => r.status === 'handling', 'routing to transport');
  expect(
    (
      await call(
        'POST',
        `/v1/suggestions/${ids[0]}/decision`,
        { outcome: 'not_adopted', reason: '现有线路已覆盖。', reply: '现有线路已覆盖该区域。' },
        as(transportKey),
      )
    ).status,
  ).toBe(200);
  expect((await call('POST', `/v1/suggestions/${ids[1]}/extension-request`, { days: 10, reason: '需要与区政府协调站点。' }, as(transportKey))).status).toBe(
    200,
  );
  await projected(ids[1], (r) => JSON.stringify((r as { handling?: unknown }).handling ?? {}).includes('"pending"'), 'the extension request');

  const page = await newPage();
  await signIn(page, wb.baseUrl, wb.user('supervisor'), '/staff/extensions');
  await checkPage(page, 'extensions');
  await page.locator('#extensions tr', { hasText: ids[1] }).getByRole('link').click();
  const form = page.locator('#form-extension-decision');
  await form.getByLabel('批准', { exact: true }).check();
  await form.getByLabel(/审批意见/).fill('协调站点确需时间，同意延期。');
  await form.getByRole('button', { name: '提交审批' }).click();
  await page.getByRole('status').waitFor();
  await projected(ids[1], (r) => JSON.stringify((r as { handling?: unknown }).handling ?? {}).includes('"approved"'), 'the approval');
  await checkPage(page, 'extension-approved');
  await checkBoth(page, '/staff/overdue', 'overdue');

  // The dashboard for this district, today: the table's figures are the API's, number for number.
  const today = dayOf(new Date());
  const query = `from=${today}&to=${today}&district=${district}&by=department&period=month`;
  await page.goto(`${wb.baseUrl}/staff/dashboard?${query}`);
  // The same figures as the supervisor reads them through the API.
  const stats = await call(
    'GET',
    `/v1/statistics?groupBy=department&from=${today}&to=${today}&district=${district}`,
    undefined,
    as(await wb.stack.issueKey('supervisor')),
  );
  const transport = stats.body.groups.find((g: { key: string }) => g.key === 'transport');
  expect(transport).toMatchObject({ received: 3, decided: 1 });
  const cells = page.locator('#by-group tr[data-key="transport"] td');
  const shown = Object.fromEntries(await cells.evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-field') ?? 'received', td.textContent ?? ''])));
  const pct = (v: number | null) => (v === null ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);
  for (const field of ['responseRate', 'onTimeRate', 'adoptionRate', 'satisfactionRate', 'returnRate', 'rehandlingRate'])
    expect([field, shown[field]]).toEqual([field, pct(transport[field])]);
  expect(shown.received).toBe(String(transport.received));
  // The charts are images the server drew (SVG, no script on the page).
  for (const img of await page.locator('figure img').all()) {
    const src = await img.getAttribute('src');
    const res = await page.request.get(`${wb.baseUrl}${src}`);
    expect(res.headers()['content-type']).toContain('image/svg+xml');
    expect(await res.text()).toContain('<svg');
    await expect(img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).resolves.toBeGreaterThan(0);
  }
  await checkPage(page, 'dashboard');
  await page.goto(`${wb.baseUrl}/staff/dashboard?${query}&lang=en`);
  await checkPage(page, 'dashboard');

  // The export: one line per department and per month, with the same figures.
  const csv = await page.request.get(`${wb.baseUrl}/staff/dashboard.csv?${query}`);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text())
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  const transportLine = lines.find((l) => l.split(',')[1] === 'transport')!.split(',');
  expect(transportLine.slice(2, 4)).toEqual([String(transport.received), String(transport.decided)]);

  // The printed report fits one A4 page.
  await page.goto(`${wb.baseUrl}/staff/dashboard?${query}&print=1`);
  const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: false });
  writeFileSync(join(artifacts, 'workbench-dashboard-report.pdf'), pdf);
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
  await page.context().close();
});

test('an administrator keeps the city profile in the workbench: adds a category, renames it, retires it, each in the audit', async () => {
  const page = await newPage();
  await signIn(page, wb.baseUrl, wb.user('admin'), '/staff/profile');
  await page.waitForURL(/\/staff\/profile/);
  const code = `wb_${randomBytes(3).toString('hex')}`;
  const form = page.locator('#form-category');
  await form.getByLabel('代码（小写字母、数字、_ 或 -）').fill(code);
  await form.getByLabel('中文名称').fill('社区养老');
  await form.getByLabel('英文名称').fill('Community care');
  await form.getByRole('button', { name: '保存类别' }).click();
  await page.getByRole('status').waitFor();
  await expect(page.locator('#categories tr', { hasText: code }).textContent()).resolves.toContain('社区养老');
  await checkPage(page, 'profile');

  // Renamed through the same form; a code the profile cannot take is refused beside the field, what was typed kept.
  await form.getByLabel('代码（小写字母、数字、_ 或 -）').fill(code);
  await form.getByLabel('中文名称').fill('社区养老服务');
  await form.getByLabel('英文名称').fill('Community care services');
  await form.getByRole('button', { name: '保存类别' }).click();
  await page.getByRole('status').waitFor();
  await form.getByLabel('代码（小写字母、数字、_ 或 -）').fill('Not A Code');
  await form.getByLabel('中文名称').fill('错误');
  await form.getByLabel('英文名称').fill('Wrong');
  await form.getByRole('button', { name: '保存类别' }).click();
  await page.locator('#form-category [role=alert]').waitFor();
  await expect(form.getByLabel('英文名称').inputValue()).resolves.toBe('Wrong');

  // Retired: new suggestions are refused it, the API says so; the audit holds all three changes.
  await page.goto(`${wb.baseUrl}/staff/profile`);
  await page.locator('#categories tr', { hasText: code }).getByRole('button', { name: '停用 社区养老服务' }).click();
  await page.getByRole('status').waitFor();
  await expect(page.locator('#categories tr', { hasText: code }).textContent()).resolves.toContain('已停用');
  const profile = await call('GET', '/v1/profile');
  expect(profile.body.profile.categories.find((c: { code: string }) => c.code === code)).toEqual({
    code,
    name: '社区养老服务',
    nameEn: 'Community care services',
    retired: true,
  });
  await expect(page.locator('#changes tr', { hasText: `categories/${code}` }).count()).resolves.toBe(3);
  await page.goto(`${wb.baseUrl}/staff/profile?lang=en`);
  await checkPage(page, 'profile');
  await page.context().close();
});
