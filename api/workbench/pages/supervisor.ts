import { Router, type Request } from 'express';
import type { CityProfile } from '../../../domain/profile';
import { qs } from '../api';
import { groupsChart, trendChart, type Series } from '../charts';
import { deskOf, sendDeskPage, type Desk } from '../desk';
import { dayOf, html, link, when, words, type Html, type Lang, type W } from '../frame';
import { deadlineMarks, departmentName, departmentOptions, profileOptions, say, type Department } from '../words';

// The workbench's pick-list still comes from the words it knows (Shanghai's), not yet from the city profile.

// The supervisors' desk (督办): what is overdue now, the extension requests to decide, and the
// assessment dashboard by department, district and period with the indicators 12345 hotlines are
// assessed on, as numbers (the same as GET /v1/statistics), charts, a CSV export and a
// one-page printed report.

interface Figures {
  key: string | null;
  received: number;
  decided: number;
  adopted: number;
  rated: number;
  routed: number;
  returned: number;
  replied: number;
  rehandled: number;
  responseRate: number | null;
  onTimeRate: number | null;
  adoptionRate: number | null;
  satisfactionRate: number | null;
  returnRate: number | null;
  rehandlingRate: number | null;
  averageHandlingWorkingDays: number | null;
}

/** The indicators, in the order the hotlines report them. */
const indicators: { field: keyof Figures; zh: string; en: string }[] = [
  { field: 'responseRate', zh: '响应率', en: 'Response rate' },
  { field: 'onTimeRate', zh: '按时办结率', en: 'On-time rate' },
  { field: 'adoptionRate', zh: '采纳率', en: 'Adoption rate' },
  { field: 'satisfactionRate', zh: '满意率', en: 'Satisfaction rate' },
  { field: 'returnRate', zh: '退单率', en: 'Return rate' },
  { field: 'rehandlingRate', zh: '重办率', en: 'Re-handling rate' },
];

const counts: { field: keyof Figures; zh: string; en: string }[] = [
  { field: 'received', zh: '收到', en: 'Received' },
  { field: 'decided', zh: '已答复', en: 'Decided' },
  { field: 'routed', zh: '交办', en: 'Routed' },
  { field: 'returned', zh: '退回', en: 'Returned' },
  { field: 'replied', zh: '已反馈', en: 'Replied' },
  { field: 'rehandled', zh: '重办', en: 'Re-handled' },
];

interface Filters {
  by: 'department' | 'district';
  period: 'month' | 'quarter' | 'year';
  from: string;
  to: string;
  department?: string;
  district?: string;
}

function filtersOf(req: Request, profile: CityProfile): Filters {
  const today = dayOf(new Date());
  const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 7)}-01`;
  const date = (v: unknown, fallback: string) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : fallback);
  const q = req.query;
  return {
    by: q.by === 'district' ? 'district' : 'department',
    period: q.period === 'quarter' || q.period === 'year' ? q.period : 'month',
    from: date(q.from, yearAgo),
    to: date(q.to, today),
    department: typeof q.department === 'string' && /^[a-z0-9_-]{2,64}$/.test(q.department) ? q.department : undefined,
    district: typeof q.district === 'string' && profile.codes('district').includes(q.district) ? q.district : undefined,
  };
}

const filterQuery = (f: Filters) => ({ by: f.by, period: f.period, from: f.from, to: f.to, department: f.department, district: f.district });

async function figures(desk: Desk, f: Filters) {
  const scope = { from: f.from, to: f.to, department: f.department, district: f.district };
  const [groups, trend, departments] = await Promise.all([
    desk.api.get<{ groups: Figures[] }>(`/v1/statistics${qs({ groupBy: f.by, ...scope })}`),
    desk.api.get<{ groups: Figures[] }>(`/v1/statistics${qs({ groupBy: 'period', period: f.period, ...scope })}`),
    desk.api.get<{ items: Department[] }>('/v1/departments'),
  ]);
  return { groups: groups.groups, trend: trend.groups, departments: departments.items };
}

function groupName(lang: Lang, f: Filters, departments: Department[], profile: CityProfile, key: string | null): string {
  if (key === null) return lang === 'zh' ? '未交办' : 'Not routed';
  return f.by === 'district' ? say.district(lang, key, profile) : departmentName(departments, key);
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);

export function supervisorPages(): Router {
  const router = Router();

  router.get('/staff/overdue', async (req, res) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const [list, departments] = await Promise.all([
      desk.api.get<{ items: any[]; nextCursor: string | null }>(`/v1/overdue${qs({ limit: 50, cursor })}`),
      desk.api.get<{ items: Department[] }>('/v1/departments'),
    ]);
    sendDeskPage(res, desk, {
      title: w('超期督办', 'Overdue'),
      section: 'overdue',
      path: '/staff/overdue',
      body: html`<p>${w('现在有事项超过时限的建议（答复、重新办理、落实步骤或回头看），超期最久的在前。', 'Suggestions with something past its limit now (an answer, a re-handling, a milestone or a follow-up check), longest overdue first.')}</p>
${
  list.items.length === 0
    ? html`<p>${w('没有超期的建议。', 'Nothing is overdue.')}</p>`
    : html`<table id="overdue"><thead><tr><th scope="col">${w('建议编号', 'Number')}</th><th scope="col">${w('标题', 'Title')}</th><th scope="col">${w('状态', 'Status')}</th><th scope="col">${w('主办部门', 'Lead department')}</th><th scope="col">${w('办理时限', 'Due')}</th></tr></thead><tbody>
${list.items.map((it) => html`<tr><td><a href="${link(desk.lang, `/staff/suggestions/${it.id}`)}">${it.trackingNumber}</a></td><td>${it.title}</td><td>${say.status(desk.lang, it.status)}</td><td>${departmentName(departments.items, it.leadDepartment)}</td><td>${when(it.dueAt)}${deadlineMarks(desk.lang, it)}</td></tr>`)}
</tbody></table>`
}
${list.nextCursor ? html`<p><a href="${link(desk.lang, '/staff/overdue', { cursor: list.nextCursor })}">${w('下一页', 'Next page')}</a></p>` : ''}`,
    });
  });

  router.get('/staff/extensions', async (_req, res) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const [list, departments] = await Promise.all([
      desk.api.get<{ items: any[] }>('/v1/extension-requests'),
      desk.api.get<{ items: Department[] }>('/v1/departments'),
    ]);
    sendDeskPage(res, desk, {
      title: w('延期审批', 'Extension requests'),
      section: 'extensions',
      path: '/staff/extensions',
      body: html`<p>${w('等待审批的延期申请，申请最早的在前。打开建议即可审批。', 'Extension requests waiting for a decision, oldest first. Open the suggestion to decide.')}</p>
${
  list.items.length === 0
    ? html`<p>${w('没有待审批的延期申请。', 'No request is waiting.')}</p>`
    : html`<table id="extensions"><thead><tr><th scope="col">${w('建议编号', 'Number')}</th><th scope="col">${w('标题', 'Title')}</th><th scope="col">${w('申请部门', 'Department')}</th><th scope="col" class="num">${w('天数', 'Days')}</th><th scope="col">${w('理由', 'Reason')}</th><th scope="col">${w('申请时间', 'Asked')}</th><th scope="col">${w('现时限', 'Due now')}</th></tr></thead><tbody>
${list.items.map((it) => html`<tr><td><a href="${link(desk.lang, `/staff/suggestions/${it.suggestion.id}`)}">${it.suggestion.trackingNumber}</a></td><td>${it.suggestion.title}</td><td>${departmentName(departments.items, it.suggestion.leadDepartment)}</td><td class="num">${it.extension.days}</td><td>${it.extension.reason}</td><td>${when(it.extension.requestedAt)}</td><td>${when(it.suggestion.dueAt)}${deadlineMarks(desk.lang, it.suggestion)}</td></tr>`)}
</tbody></table>`
}`,
    });
  });

  router.get('/staff/dashboard', async (req, res) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const f = filtersOf(req, desk.profile);
    const data = await figures(desk, f);
    sendDeskPage(res, desk, {
      title: w('考核统计', 'Assessment'),
      section: 'dashboard',
      path: '/staff/dashboard',
      query: filterQuery(f),
      body: dashboard(desk, w, f, data),
    });
  });

  router.get('/staff/dashboard/:chart.svg', async (req, res) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const f = filtersOf(req, desk.profile);
    const data = await figures(desk, f);
    const series = (rows: Figures[]): Series[] => indicators.map((i) => ({ name: w(i.zh, i.en), values: rows.map((r) => r[i.field] as number | null) }));
    const svg =
      req.params.chart === 'trend'
        ? trendChart(
            desk.lang,
            data.trend.map((g) => g.key ?? '—'),
            series(data.trend),
          )
        : groupsChart(
            desk.lang,
            data.groups.map((g) => groupName(desk.lang, f, data.departments, desk.profile, g.key)),
            series(data.groups),
          );
    res.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
    // An image never runs script; its own styles (ECharts writes them inline) are all it may use.
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.send(svg);
  });

  router.get('/staff/dashboard.csv', async (req, res) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const f = filtersOf(req, desk.profile);
    const data = await figures(desk, f);
    const header = [
      f.by === 'district' ? w('区', 'District') : w('部门', 'Department'),
      w('代码', 'Code'),
      ...counts.map((c) => w(c.zh, c.en)),
      ...indicators.map((i) => w(i.zh, i.en)),
      w('平均办理工作日', 'Average working days'),
    ];
    const rows = (kind: string, list: Figures[], name: (k: string | null) => string) =>
      list.map((g) => [
        name(g.key),
        g.key ?? '',
        ...counts.map((c) => String(g[c.field])),
        ...indicators.map((i) => (g[i.field] === null ? '' : String(g[i.field]))),
        g.averageHandlingWorkingDays === null ? '' : String(g.averageHandlingWorkingDays),
        kind,
      ]);
    const lines = [
      [...header, w('分组', 'Grouping')],
      ...rows(f.by, data.groups, (k) => groupName(desk.lang, f, data.departments, desk.profile, k)),
      ...rows(`period:${f.period}`, data.trend, (k) => k ?? '—'),
    ];
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="assessment-${f.from}-${f.to}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    // A byte-order mark, so spreadsheet programs read the Chinese as UTF-8.
    res.send(`\uFEFF${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`);
  });

  return router;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function dashboard(desk: Desk, w: W, f: Filters, data: { groups: Figures[]; trend: Figures[]; departments: Department[] }): Html {
  const lang = desk.lang;
  const q = filterQuery(f);
  const table = (
    id: string,
    caption: string,
    rows: Figures[],
    name: (k: string | null) => string,
    head: string,
  ) => html`<table id="${id}"><caption>${caption}</caption>
<thead><tr><th scope="col">${head}</th>${counts.slice(0, 1).map((c) => html`<th scope="col" class="num">${w(c.zh, c.en)}</th>`)}${indicators.map((i) => html`<th scope="col" class="num">${w(i.zh, i.en)}</th>`)}<th scope="col" class="num">${w('平均办理工作日', 'Avg. working days')}</th></tr></thead><tbody>
${rows.map((g) => html`<tr data-key="${g.key ?? ''}"><th scope="row">${name(g.key)}</th><td class="num" data-field="received">${g.received}</td>${indicators.map((i) => html`<td class="num" data-field="${i.field}">${pct(g[i.field] as number | null)}</td>`)}<td class="num" data-field="averageHandlingWorkingDays">${g.averageHandlingWorkingDays ?? '—'}</td></tr>`)}
</tbody></table>`;
  const groupHead = f.by === 'district' ? w('区', 'District') : w('部门', 'Department');
  const periodWord = { month: w('月', 'Month'), quarter: w('季度', 'Quarter'), year: w('年', 'Year') }[f.period];
  return html`<form method="get" action="/staff/dashboard" class="filters noprint" aria-label="${w('统计范围', 'Scope')}">
${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<div><label for="by">${w('对比', 'Compare')}</label><select id="by" name="by"><option value="department"${f.by === 'department' ? html` selected` : ''}>${w('按部门', 'By department')}</option><option value="district"${f.by === 'district' ? html` selected` : ''}>${w('按区', 'By district')}</option></select></div>
<div><label for="period">${w('趋势周期', 'Trend by')}</label><select id="period" name="period">${(['month', 'quarter', 'year'] as const).map((p) => html`<option value="${p}"${f.period === p ? html` selected` : ''}>${{ month: w('月', 'Month'), quarter: w('季度', 'Quarter'), year: w('年', 'Year') }[p]}</option>`)}</select></div>
<div><label for="from">${w('收到日期自', 'Received from')}</label><input type="date" id="from" name="from" value="${f.from}"></div>
<div><label for="to">${w('至', 'to')}</label><input type="date" id="to" name="to" value="${f.to}"></div>
<div><label for="department">${w('部门', 'Department')}</label><select id="department" name="department"><option value="">${w('全部', 'All')}</option>${departmentOptions(data.departments).map(([v, t]) => html`<option value="${v}"${f.department === v ? html` selected` : ''}>${t}</option>`)}</select></div>
<div><label for="district">${w('区', 'District')}</label><select id="district" name="district"><option value="">${w('全部', 'All')}</option>${profileOptions(desk.profile, 'district', lang, { forNew: false }).map(([d, name]) => html`<option value="${d}"${f.district === d ? html` selected` : ''}>${name}</option>`)}</select></div>
<div><button type="submit">${w('统计', 'Show')}</button></div>
</form>
<p class="muted">${w(`收到日期 ${f.from} 至 ${f.to}（北京时间）。响应率：已答复占已答复与已超期之和；按时办结率：按时答复占已答复与已超期之和；采纳率：采纳及部分采纳占已答复；满意率：满意及基本满意占已评价；退单率：被退回占已交办（按部门时计入退回的部门）；重办率：重新办理占已反馈。`, `Received ${f.from} to ${f.to} (Shanghai dates). Response rate: answered among answered or overdue; on-time rate: answered by the deadline among answered or overdue; adoption rate: adopted in full or in part among answered; satisfaction rate: satisfied or basically satisfied among rated; return rate: returned among routed (by department: counted against the department that returned it); re-handling rate: handled again among replied.`)}</p>
<p class="noprint"><a href="${link(lang, '/staff/dashboard.csv', q)}" download>${w('导出 CSV', 'Export CSV')}</a> · <a href="${link(lang, '/staff/dashboard', { ...q, print: 1 })}">${w('打印版（用浏览器打印为一页报告）', 'Printable (print from the browser as a one-page report)')}</a></p>
<div class="charts">
<figure><img src="${link(lang, '/staff/dashboard/groups.svg', q)}" alt="${w('各单位指标对比图，数字见下表', 'Chart of the indicators side by side; the numbers are in the table below')}" width="720"><figcaption class="muted">${w('各单位对比', 'Side by side')}</figcaption></figure>
<figure><img src="${link(lang, '/staff/dashboard/trend.svg', q)}" alt="${w('各项指标按期变化图，数字见下表', 'Chart of the indicators by period; the numbers are in the table below')}" width="720" height="360"><figcaption class="muted">${w('按期趋势', 'Trend')}</figcaption></figure>
</div>
${table('by-group', w(`按${f.by === 'district' ? '区' : '部门'}`, `By ${f.by}`), data.groups, (k) => groupName(lang, f, data.departments, desk.profile, k), groupHead)}
${table('by-period', w(`按${periodWord}`, `By ${f.period}`), data.trend, (k) => k ?? '—', periodWord)}`;
}
