import { Router, type Request } from 'express';
import { settingSteps, settingUnits } from '../../../domain/time-settings';
import { channels } from '../../../domain/vocabulary';
import { channelWords } from '../../../domain/vocabulary-labels';
import { qs } from '../api';
import { deskOf, sendDeskPage, type Desk } from '../desk';
import { formBox, formPage, type FormRequest } from '../form-page';
import { choices, emptyForm, errorSummary, field, formStart, hidden, input, listField, numberField, select, textarea } from '../forms';
import { dayOf, html, link, when, words } from '../frame';
import { deadlineMarks, departmentName, departmentOptions, options, profileOptions, say, type Department } from '../words';

// The collection office's desk: the triage queue (assignment itself is on the suggestion's page,
// with the department picker), routing rules, time limits, calendar years, campaigns with their
// results, and the yearly awards. Each list is the API's; each form becomes the API's request.

const departmentsOf = (desk: Desk) => desk.api.get<{ items: Department[] }>('/v1/departments').then((d) => d.items);

export function officePages(): Router {
  const router = Router();

  router.get('/staff/triage', async (req, res) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const queue = await desk.api.get<{ items: any[]; nextCursor: string | null }>(`/v1/triage-queue${qs({ limit: 50, cursor })}`);
    sendDeskPage(res, desk, {
      title: w('甄别分办', 'Triage'),
      section: 'triage',
      path: '/staff/triage',
      body: html`<p>${w('没有分办规则匹配的建议，按收到时间排列。打开一件即可交办、改派、转紧急办理或认定不属于建议范围。', 'Suggestions no routing rule matched, oldest first. Open one to assign it, mark it urgent or close it as not a suggestion.')}</p>
${
  queue.items.length === 0
    ? html`<p>${w('队列为空。', 'The queue is empty.')}</p>`
    : html`<table id="triage"><thead><tr><th scope="col">${w('建议编号', 'Number')}</th><th scope="col">${w('标题', 'Title')}</th><th scope="col">${w('类别', 'Category')}</th><th scope="col">${w('所属区', 'District')}</th><th scope="col">${w('收到时间', 'Received')}</th><th scope="col">${w('分办时限', 'Route by')}</th></tr></thead><tbody>
${queue.items.map((it) => html`<tr><td><a href="${link(desk.lang, `/staff/suggestions/${it.id}`)}">${it.trackingNumber}</a></td><td>${it.title}</td><td>${say.category(desk.lang, it.category, desk.profile)}</td><td>${say.district(desk.lang, it.district, desk.profile)}</td><td>${when(it.receivedAt)}</td><td>${when(it.dueAt)}${deadlineMarks(desk.lang, it)}</td></tr>`)}
</tbody></table>`
}
${queue.nextCursor ? html`<p><a href="${link(desk.lang, '/staff/triage', { cursor: queue.nextCursor })}">${w('下一页', 'Next page')}</a></p>` : ''}`,
    });
  });

  formPage(
    router,
    '/staff/routing-rules',
    'rules',
    ['分办规则', 'Routing rules'],
    async (desk, w, state) => {
      const [rules, departments] = await Promise.all([desk.api.get<{ items: any[] }>('/v1/routing-rules'), departmentsOf(desk)]);
      const lang = desk.lang;
      const s = state.add ?? emptyForm({ active: 'yes' });
      return html`<table id="rules"><thead><tr><th scope="col">#</th><th scope="col">${w('类别', 'Category')}</th><th scope="col">${w('所属区', 'District')}</th><th scope="col">${w('渠道', 'Channel')}</th><th scope="col">${w('主办部门', 'Lead')}</th><th scope="col">${w('会办部门', 'Co-handling')}</th><th scope="col" class="num">${w('优先级', 'Priority')}</th><th scope="col">${w('启用', 'Active')}</th><th scope="col" class="noprint">${w('操作', 'Change')}</th></tr></thead><tbody>
${rules.items.map(
  (
    r,
  ) => html`<tr><td>${r.id}</td><td>${say.category(lang, r.category, desk.profile)}</td><td>${r.district ? say.district(lang, r.district, desk.profile) : w('任何', 'any')}</td><td>${r.channel ? say.channel(lang, r.channel) : w('任何', 'any')}</td><td>${departmentName(departments, r.leadDepartment)}</td><td>${r.coDepartments.map((c: string) => departmentName(departments, c)).join('、') || '—'}</td><td class="num">${r.priority}</td><td>${r.active ? w('是', 'yes') : w('否', 'no')}</td>
<td class="noprint">${formStart(lang, `/staff/routing-rules/toggle-${r.id}`, desk.viewer.csrf)}${hidden('active', r.active ? 'no' : 'yes')}<button type="submit" class="secondary">${r.active ? w(`停用规则 ${r.id}`, `Deactivate rule ${r.id}`) : w(`启用规则 ${r.id}`, `Activate rule ${r.id}`)}</button></form></td></tr>`,
)}
</tbody></table>
${Object.entries(state)
  .filter(([k]) => k.startsWith('toggle-'))
  .map(([, st]) => errorSummary(w, st))}
${formBox(
  desk,
  w,
  'add',
  w('新增规则', 'Add a rule'),
  '/staff/routing-rules/add',
  s,
  html`<div class="row">
<div>${select({ name: 'category', label: w('类别', 'Category'), options: profileOptions(desk.profile, 'category', lang), blank: w('请选择', 'Choose'), state: s, required: true })}</div>
<div>${select({ name: 'district', label: w('所属区', 'District'), options: profileOptions(desk.profile, 'district', lang), blank: w('任何', 'Any'), state: s })}</div>
<div>${select({ name: 'channel', label: w('渠道', 'Channel'), options: options(channelWords, lang, channels), blank: w('任何', 'Any'), state: s })}</div>
</div>
${select({ name: 'leadDepartment', label: w('主办部门', 'Lead department'), options: departmentOptions(departments), blank: w('请选择', 'Choose'), state: s, required: true })}
${select({ name: 'coDepartments', label: w('会办部门（可多选）', 'Co-handling departments (any number)'), options: departmentOptions(departments), multiple: true, state: s })}
${input({ name: 'priority', type: 'number', label: w('优先级（同样具体时数字大者优先）', 'Priority (the higher wins between equally specific rules)'), state: s })}`,
  w('新增', 'Add the rule'),
)}`;
    },
    {
      add: (v) => ({
        method: 'POST',
        path: '/v1/routing-rules',
        body: {
          category: field(v, 'category'),
          district: field(v, 'district') ?? null,
          channel: field(v, 'channel') ?? null,
          leadDepartment: field(v, 'leadDepartment'),
          coDepartments: listField(v, 'coDepartments'),
          priority: numberField(v, 'priority') ?? 0,
        },
      }),
    },
    toggle,
  );

  formPage(
    router,
    '/staff/time-settings',
    'times',
    ['办理时限', 'Time limits'],
    async (desk, w, state) => {
      const lang = desk.lang;
      const settings = await desk.api.get<{ defaults: { step: string; amount: number; unit: string }[]; settings: any[] }>('/v1/time-settings');
      const unit = (u: string) =>
        ({ working_days: w('个工作日', 'working days'), calendar_days: w('个自然日', 'calendar days'), months: w('个月', 'months') })[u] ?? u;
      const s = state.set ?? emptyForm({ unit: 'working_days' });
      return html`<h2>${w('默认时限', 'Defaults')}</h2><table id="defaults"><thead><tr><th scope="col">${w('环节', 'Step')}</th><th scope="col">${w('默认', 'Default')}</th></tr></thead><tbody>
${settings.defaults.map((d) => html`<tr><td><code>${d.step}</code></td><td>${d.amount} ${unit(d.unit)}</td></tr>`)}</tbody></table>
<h2>${w('已设置的时限', 'Settings over the defaults')}</h2>
${
  settings.settings.length === 0
    ? html`<p>${w('尚无设置，均按默认。', 'None: every step follows its default.')}</p>`
    : html`<table id="settings"><thead><tr><th scope="col">${w('环节', 'Step')}</th><th scope="col">${w('渠道', 'Channel')}</th><th scope="col">${w('类别', 'Category')}</th><th scope="col">${w('时限', 'Limit')}</th><th scope="col">${w('更新时间', 'Updated')}</th><th scope="col" class="noprint">${w('操作', 'Change')}</th></tr></thead><tbody>
${settings.settings.map(
  (
    r,
  ) => html`<tr><td><code>${r.step}</code></td><td>${r.channel ? say.channel(lang, r.channel) : w('任何', 'any')}</td><td>${r.category ? say.category(lang, r.category, desk.profile) : w('任何', 'any')}</td><td>${r.amount} ${unit(r.unit)}</td><td>${when(r.updatedAt)}</td>
<td class="noprint">${formStart(lang, `/staff/time-settings/remove-${r.step}~${r.channel ?? ''}~${r.category ?? ''}`, desk.viewer.csrf)}<button type="submit" class="secondary">${w('恢复默认', 'Back to the default')}</button></form></td></tr>`,
)}</tbody></table>`
}
${Object.entries(state)
  .filter(([k]) => k.startsWith('remove-'))
  .map(([, st]) => errorSummary(w, st))}
${formBox(
  desk,
  w,
  'set',
  w('设置时限', 'Set a limit'),
  '/staff/time-settings/set',
  s,
  html`<div class="row">
<div>${select({ name: 'step', label: w('环节', 'Step'), options: settingSteps.map((st) => [st, st]), blank: w('请选择', 'Choose'), state: s, required: true })}</div>
<div>${select({ name: 'channel', label: w('渠道', 'Channel'), options: options(channelWords, lang, channels), blank: w('任何', 'Any'), state: s })}</div>
<div>${select({ name: 'category', label: w('类别', 'Category'), options: profileOptions(desk.profile, 'category', lang), blank: w('任何', 'Any'), state: s })}</div>
<div>${input({ name: 'amount', type: 'number', min: 1, max: 365, label: w('时长', 'Amount'), state: s, required: true })}</div>
<div>${select({ name: 'unit', label: w('单位', 'Unit'), options: settingUnits.map((u) => [u, unit(u)]), state: s, required: true })}</div>
</div>`,
  w('保存', 'Save'),
)}`;
    },
    {
      set: (v) => ({
        method: 'PUT',
        path: `/v1/time-settings/${encodeURIComponent(field(v, 'step') ?? '-')}`,
        body: { channel: field(v, 'channel') ?? null, category: field(v, 'category') ?? null, amount: numberField(v, 'amount'), unit: field(v, 'unit') },
      }),
    },
    removal,
  );

  formPage(
    router,
    '/staff/calendar-years',
    'calendar',
    ['工作日历', 'Working-day calendar'],
    async (desk, w, state) => {
      const years = await desk.api.get<{ items: any[] }>('/v1/calendar-years');
      const s = state.load ?? emptyForm();
      return html`<table id="years"><thead><tr><th scope="col">${w('年份', 'Year')}</th><th scope="col">${w('来源', 'Source')}</th><th scope="col">${w('载入时间', 'Loaded')}</th><th scope="col">${w('已修正在办建议', 'Open suggestions corrected')}</th></tr></thead><tbody>
${years.items.map((y) => html`<tr><td>${y.year}</td><td>${y.official ? y.source : html`<span class="tag provisional">${w('预测（暂定）', 'Forecast (provisional)')}</span>`}</td><td>${when(y.loadedAt)}</td><td>${when(y.correctedAt)}</td></tr>`)}
</tbody></table>
${formBox(
  desk,
  w,
  'load',
  w('载入国务院公布的年度安排', 'Load a year the State Council published'),
  '/staff/calendar-years/load',
  s,
  html`${input({ name: 'year', type: 'number', min: 2000, max: 2200, label: w('年份', 'Year'), state: s, required: true })}
${input({ name: 'source', label: w('文件（如 国办发明电〔2026〕…号）', 'Notice (e.g. 国办发明电〔2026〕…号)'), state: s, required: true })}
${textarea({ name: 'holidays', label: w('放假日期，每行一天：日期 名称', 'Days off, one a line: date name'), hint: w('例：2027-01-01 元旦', 'e.g. 2027-01-01 元旦'), state: s, rows: 8 })}
${textarea({ name: 'workdays', label: w('调休上班日期，每行一天：日期 名称', 'Adjusted working days, one a line: date name'), hint: w('例：2027-02-07 春节', 'e.g. 2027-02-07 春节'), state: s, rows: 4 })}`,
  w('载入', 'Load the year'),
)}`;
    },
    {
      load: (v) => ({
        method: 'PUT',
        path: `/v1/calendar-years/${encodeURIComponent(field(v, 'year') ?? '-')}`,
        body: { source: field(v, 'source'), holidays: days(field(v, 'holidays')), workdays: days(field(v, 'workdays')) },
      }),
    },
  );

  formPage(
    router,
    '/staff/campaigns',
    'campaigns',
    ['主动征集', 'Campaigns'],
    async (desk, w, state) => {
      const lang = desk.lang;
      const [campaigns, departments] = await Promise.all([desk.api.get<{ items: any[] }>('/v1/campaigns'), departmentsOf(desk)]);
      const c = state.create ?? emptyForm();
      const r = state.results ?? emptyForm();
      const closed = campaigns.items.filter((x) => x.status === 'closed');
      const statusWord = (st: string) =>
        ({
          scheduled: w('未开始', 'Scheduled'),
          open: w('征集中', 'Open'),
          paused: w('已暂停', 'Paused'),
          closed: w('已结束', 'Closed'),
          cancelled: w('已取消', 'Cancelled'),
        })[st] ?? st;
      return html`<table id="campaigns"><thead><tr><th scope="col">${w('编号', 'Id')}</th><th scope="col">${w('标题', 'Title')}</th><th scope="col">${w('牵头部门', 'Lead')}</th><th scope="col">${w('开始', 'Opens')}</th><th scope="col">${w('截止', 'Closes')}</th><th scope="col">${w('状态', 'Status')}</th></tr></thead><tbody>
${campaigns.items.map((x) => html`<tr><td>${x.id}</td><td>${x.title}</td><td>${departmentName(departments, x.leadDepartment)}</td><td>${when(x.opensAt)}</td><td>${when(x.closesAt)}</td><td>${statusWord(x.status)}</td></tr>`)}
</tbody></table>
${formBox(
  desk,
  w,
  'create',
  w('发起征集', 'Start a campaign'),
  '/staff/campaigns/create',
  c,
  html`${input({ name: 'id', label: w('编号（小写字母、数字和横线，选填）', 'Id (lower-case letters, digits, dashes; optional)'), state: c })}
${input({ name: 'title', label: w('标题', 'Title'), state: c, required: true })}
${textarea({ name: 'description', label: w('说明（至少 10 字）', 'Description (at least 10 characters)'), state: c, required: true })}
${textarea({ name: 'topics', label: w('征集主题，每行一个', 'Topics, one a line'), state: c, required: true, rows: 3 })}
${select({ name: 'leadDepartment', label: w('牵头部门', 'Lead department'), options: departmentOptions(departments), blank: w('请选择', 'Choose'), state: c, required: true })}
${select({ name: 'jointDepartments', label: w('联合征集部门（可多选）', 'Joint departments (any number)'), options: departmentOptions(departments), multiple: true, state: c })}
${choices({ name: 'districts', label: w('范围（不选为全市）', 'Districts (none: the whole city)'), options: profileOptions(desk.profile, 'district', lang), multiple: true, state: c })}
<div class="row"><div>${input({ name: 'opensAt', type: 'datetime-local', label: w('开始时间（北京时间）', 'Opens (Shanghai time)'), state: c, required: true })}</div>
<div>${input({ name: 'closesAt', type: 'datetime-local', label: w('截止时间（北京时间）', 'Closes (Shanghai time)'), state: c, required: true })}</div></div>`,
  w('发起', 'Start the campaign'),
)}
${formBox(
  desk,
  w,
  'results',
  w('发布征集结果（集中反馈）', 'Publish a campaign’s results'),
  '/staff/campaigns/results',
  r,
  html`${select({ name: 'campaign', label: w('已结束的征集', 'Closed campaign'), options: closed.map((x) => [x.id, `${x.title} (${x.id})`]), blank: w('请选择', 'Choose'), state: r, required: true })}
${textarea({ name: 'summary', label: w('结果摘要（将答复每位参与者）', 'Summary of the results (every participant is answered with it)'), state: r, required: true })}
${input({ name: 'url', type: 'url', label: w('详情链接（选填）', 'Link to the full results (optional)'), state: r })}`,
  w('发布', 'Publish'),
)}`;
    },
    {
      create: (v) => ({
        method: 'POST',
        path: '/v1/campaigns',
        body: {
          id: field(v, 'id'),
          title: field(v, 'title'),
          description: field(v, 'description'),
          topics: lines(field(v, 'topics')),
          leadDepartment: field(v, 'leadDepartment'),
          jointDepartments: listField(v, 'jointDepartments'),
          districts: listField(v, 'districts'),
          opensAt: shanghaiInstant(field(v, 'opensAt')),
          closesAt: shanghaiInstant(field(v, 'closesAt')),
        },
      }),
      results: (v) => ({
        method: 'POST',
        path: `/v1/campaigns/${encodeURIComponent(field(v, 'campaign') ?? '-')}/results`,
        body: { summary: field(v, 'summary'), url: field(v, 'url') },
      }),
    },
  );

  formPage(
    router,
    '/staff/awards',
    'awards',
    ['优秀人民建议', 'Outstanding suggestions'],
    async (desk, w, state, req) => {
      const year = /^\d{4}$/.test(String(req.query.year ?? '')) ? Number(req.query.year) : Number(dayOf(new Date()).slice(0, 4));
      const [list, departments] = await Promise.all([desk.api.get<{ items: any[] }>(`/v1/awards/${year}/candidates`), departmentsOf(desk)]);
      const n = state.nominate ?? emptyForm();
      const a = state.award ?? emptyForm();
      const lang = desk.lang;
      return html`<form method="get" action="/staff/awards" class="noprint">${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}<label for="award-year">${w('年度', 'Year')}</label><input type="number" id="award-year" name="year" value="${year}" min="2020" max="2100"><button type="submit" class="secondary">${w('查看', 'Show')}</button></form>
${
  list.items.length === 0
    ? html`<p>${w('该年度尚无候选（每年 12 月 20 日评选）。', 'No shortlist for this year yet (it is drawn up every 20 December).')}</p>`
    : html`<table id="candidates"><thead><tr><th scope="col" class="num">${w('排名', 'Rank')}</th><th scope="col">${w('建议', 'Suggestion')}</th><th scope="col">${w('结果', 'Outcome')}</th><th scope="col">${w('部门', 'Department')}</th><th scope="col" class="num">${w('得分', 'Score')}</th><th scope="col">${w('提名', 'Nominated')}</th><th scope="col">${w('授予', 'Awarded')}</th></tr></thead><tbody>
${list.items.map((c) => html`<tr><td class="num">${c.rank}</td><td><a href="${link(lang, `/staff/suggestions/${c.suggestionId}`)}">${c.suggestionId}</a> ${c.title}</td><td>${say.outcome(lang, c.outcome)}</td><td>${departmentName(departments, c.leadDepartment)}</td><td class="num">${c.score}</td><td>${c.nominatedAt ? html`${when(c.nominatedAt)}<br><span class="muted">${c.nominationNote}</span>` : '—'}</td><td>${c.awardedAt ? html`${when(c.awardedAt)}<br><span class="muted">${c.citation}</span>` : '—'}</td></tr>`)}
</tbody></table>`
}
${formBox(
  desk,
  w,
  'nominate',
  w('提名', 'Nominate'),
  '/staff/awards/nominate',
  n,
  html`${select({ name: 'suggestionId', label: w('候选建议', 'Shortlisted suggestion'), options: list.items.filter((c) => !c.nominatedAt).map((c) => [c.suggestionId, `${c.rank}. ${c.suggestionId} ${c.title}`]), blank: w('请选择', 'Choose'), state: n, required: true })}
${textarea({ name: 'note', label: w('提名理由', 'Why'), state: n, required: true })}`,
  w('提名', 'Nominate'),
)}
${formBox(
  desk,
  w,
  'award',
  w('授予', 'Award'),
  '/staff/awards/award',
  a,
  html`${select({ name: 'suggestionId', label: w('已提名的建议', 'Nominated suggestion'), options: list.items.filter((c) => c.nominatedAt && !c.awardedAt).map((c) => [c.suggestionId, `${c.suggestionId} ${c.title}`]), blank: w('请选择', 'Choose'), state: a, required: true })}
${textarea({ name: 'citation', label: w('授予词（将告知建议人）', 'Citation (the proposer is told)'), state: a, required: true })}`,
  w('授予', 'Award'),
)}`;
    },
    {
      nominate: (v, req) => ({
        method: 'POST',
        path: `/v1/awards/${yearOf(req)}/nominations`,
        body: { suggestionId: field(v, 'suggestionId'), note: field(v, 'note') },
      }),
      award: (v, req) => ({
        method: 'POST',
        path: `/v1/awards/${yearOf(req)}/awards`,
        body: { suggestionId: field(v, 'suggestionId'), citation: field(v, 'citation') },
      }),
    },
  );

  return router;
}

function yearOf(req: Request): number {
  return /^\d{4}$/.test(String(req.query.year ?? '')) ? Number(req.query.year) : Number(dayOf(new Date()).slice(0, 4));
}

/** Each rule's switch is a form of its own: `toggle-<id>`. */
function toggle(name: string): FormRequest | undefined {
  const id = /^toggle-(\d{1,10})$/.exec(name)?.[1];
  return id ? (v) => ({ method: 'PATCH', path: `/v1/routing-rules/${id}`, body: { active: field(v, 'active') === 'yes' } }) : undefined;
}

/** Each setting's "back to the default" is a form of its own: `remove-<step>~<channel>~<category>`. */
function removal(name: string): FormRequest | undefined {
  const m = /^remove-([A-Za-z]+)~([a-z_]*)~([a-z_]*)$/.exec(name);
  return m ? () => ({ method: 'DELETE', path: `/v1/time-settings/${m[1]}${qs({ channel: m[2], category: m[3] })}` }) : undefined;
}

function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** "2027-01-01 元旦" lines as the calendar's days. */
function days(text: string | undefined): { date: string; name?: string }[] {
  return lines(text).map((l) => {
    const [date, ...name] = l.split(/\s+/);
    return name.length ? { date, name: name.join(' ') } : { date };
  });
}

/** A datetime-local value read as Shanghai time. */
function shanghaiInstant(local: string | undefined): string | undefined {
  if (!local) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+08:00` : local;
}
