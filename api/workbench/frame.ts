import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { StaffRole } from '../../domain/vocabulary';
import { roleWords } from '../../domain/vocabulary-labels';
import { Html, html } from '../pages/layout';

export { Html, html };

// The workbench's frame: Chinese first (?lang=en for English, carried by every link and form),
// one inline style sheet with a print layout, no script at all, landmarks, a skip link, the
// navigation of the signed-in person's role and a sign-out form with its anti-forgery token.

export type Lang = 'zh' | 'en';

export function langOf(req: Request): Lang {
  return req.query.lang === 'en' ? 'en' : 'zh';
}

/** Words in the reader's language: w('收件箱', 'Inbox'). */
export type W = (zh: string, en: string) => string;
export const words =
  (lang: Lang): W =>
  (zh, en) =>
    lang === 'zh' ? zh : en;

/** A path of the workbench in the reader's language, with a query whose empty values are left out. */
export function link(lang: Lang, path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  if (lang === 'en') params.set('lang', 'en');
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

const shanghai = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const shanghaiDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** An instant as Shanghai's clock shows it: 2026-12-03 14:05. */
export function when(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? '—' : shanghai.format(d);
}

export function dayOf(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  return shanghaiDay.format(typeof iso === 'string' ? new Date(iso) : iso);
}

export const css = `*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.55;color:#1b1b1b;background:#fff}
body{margin:0}
a{color:#0b4f9c}
:focus-visible{outline:3px solid #b34700;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{border-bottom:1px solid #c8c8c8;padding-top:.5rem;padding-bottom:.5rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
.site{font-weight:700;font-size:1.1rem;margin:0}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a[aria-current=page]{font-weight:700}
.who{margin-left:auto;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
.who form{margin:0}
.who button{margin:0;padding:.3rem .8rem}
h1{font-size:1.5rem;line-height:1.3}
h2{font-size:1.2rem;margin:1.5rem 0 .25rem}
h3{font-size:1.05rem;margin:1rem 0 .25rem}
.box{border:1px solid #c8c8c8;border-radius:.5rem;padding:.25rem 1rem 1rem;margin:1rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.125rem 1rem;margin:.5rem 0}
dt{color:#4a4a4a}
dd{margin:0}
.muted,.hint{color:#4a4a4a;font-size:.95rem}
.hint{margin:.125rem 0 0}
label,legend{display:block;font-weight:600;margin-top:.9rem}
fieldset{border:0;padding:0;margin:0}
.choice{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin-top:.4rem}
.choice input{margin-top:.35rem}
input[type=text],input[type=number],input[type=url],input[type=date],input[type=datetime-local],input[type=password],select,textarea{display:block;width:100%;max-width:40rem;font:inherit;padding:.45rem;border:2px solid #595959;border-radius:.25rem;background:#fff;color:#1b1b1b}
select[multiple]{min-height:8rem}
textarea{min-height:6rem}
[aria-invalid=true]{border-color:#a4000f}
button{font:inherit;font-weight:600;margin-top:1rem;padding:.55rem 1.3rem;border:0;border-radius:.25rem;background:#0b4f9c;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b4f9c;border:2px solid #0b4f9c}
button.danger{background:#a4000f}
.error{color:#a4000f;font-weight:600;margin:.125rem 0 0}
.alert{border:2px solid #a4000f;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}
.notice{border:2px solid #1b5e20;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #c8c8c8;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.tag{display:inline-block;border-radius:.25rem;padding:0 .4rem;font-size:.9rem;font-weight:600;border:1px solid}
.overdue{color:#a4000f;border-color:#a4000f}
.soon{color:#7a3e00;border-color:#7a3e00}
.provisional{color:#4a4a4a;border-color:#4a4a4a}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem;align-items:end}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:0 1rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
figure{margin:0}
figure img{max-width:100%;height:auto;border:1px solid #c8c8c8}
pre{white-space:pre-wrap;word-break:break-word}
.files{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.75rem}
.files img{display:block;max-width:100%;height:auto;border:1px solid #c8c8c8}
footer{border-top:1px solid #c8c8c8;margin-top:2rem;padding-top:.5rem;padding-bottom:2rem}
@media print{
@page{size:A4 landscape;margin:12mm}
header nav,.who,.skip,.noprint,form,footer .lang{display:none!important}
html{font-size:10pt}
main,header,footer{max-width:none;padding:0}
.charts{grid-template-columns:1fr 1fr}
figure img{border:0}
h1{font-size:14pt;margin:.2rem 0}
h2{font-size:11pt;margin:.4rem 0 .1rem}
table{page-break-inside:avoid}
a{color:#1b1b1b;text-decoration:none}
}`;

const cssHash = createHash('sha256').update(css).digest('base64');

export interface Viewer {
  label: string;
  role: StaffRole;
  departmentCode?: string;
  csrf: string;
}

export type Section =
  'inbox' | 'notices' | 'triage' | 'rules' | 'times' | 'calendar' | 'campaigns' | 'awards' | 'overdue' | 'extensions' | 'dashboard' | 'profile' | 'home';

const sections: [Section, string, string, string, StaffRole[]][] = [
  ['inbox', '/staff/inbox', '待办', 'Inbox', ['department']],
  ['notices', '/staff/notices', '通知', 'Notices', ['department']],
  ['triage', '/staff/triage', '甄别分办', 'Triage', ['office']],
  ['rules', '/staff/routing-rules', '分办规则', 'Routing rules', ['office']],
  ['times', '/staff/time-settings', '办理时限', 'Time limits', ['office']],
  ['calendar', '/staff/calendar-years', '工作日历', 'Calendar', ['office']],
  ['campaigns', '/staff/campaigns', '主动征集', 'Campaigns', ['office']],
  ['awards', '/staff/awards', '优秀建议', 'Awards', ['office']],
  ['overdue', '/staff/overdue', '超期督办', 'Overdue', ['supervisor', 'office']],
  ['extensions', '/staff/extensions', '延期审批', 'Extensions', ['supervisor']],
  ['dashboard', '/staff/dashboard', '考核统计', 'Assessment', ['supervisor', 'office', 'admin']],
  ['profile', '/staff/profile', '城市配置', 'City profile', ['admin']],
];

export interface Frame {
  lang: Lang;
  title: string;
  section?: Section;
  /** This page's path and query, for the language link. */
  path: string;
  query?: Record<string, string | number | undefined>;
  viewer?: Viewer;
  body: Html;
}

export function page(f: Frame): Html {
  const w = words(f.lang);
  const other: Lang = f.lang === 'zh' ? 'en' : 'zh';
  const nav = f.viewer ? sections.filter(([, , , , roles]) => roles.includes(f.viewer!.role)) : [];
  return html`<!doctype html>
<html lang="${f.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${f.title} · ${w('人民建议征集工作台', 'Suggestions workbench')}</title>
<style>${new Html(css)}</style>
</head>
<body>
<a class="skip" href="#main">${w('跳到主要内容', 'Skip to main content')}</a>
<header>
<p class="site"><a href="${link(f.lang, '/staff/')}">${w('人民建议征集工作台', 'Suggestions workbench')}</a></p>
${nav.length ? html`<nav aria-label="${w('工作台导航', 'Workbench')}"><ul>${nav.map(([name, path, zh, en]) => html`<li><a href="${link(f.lang, path)}"${name === f.section ? new Html(' aria-current="page"') : ''}>${w(zh, en)}</a></li>`)}</ul></nav>` : ''}
<div class="who">
<a href="${link(other, f.path, f.query)}" lang="${other === 'zh' ? 'zh-CN' : 'en'}" hreflang="${other === 'zh' ? 'zh-CN' : 'en'}">${other === 'zh' ? '中文' : 'English'}</a>
${
  f.viewer
    ? html`<span>${f.viewer.label} · ${roleWords[f.viewer.role][f.lang === 'zh' ? 0 : 1]}${f.viewer.departmentCode ? ` (${f.viewer.departmentCode})` : ''}</span>
<form method="post" action="${link(f.lang, '/staff/sign-out')}"><input type="hidden" name="_csrf" value="${f.viewer.csrf}"><button type="submit" class="secondary">${w('退出', 'Sign out')}</button></form>`
    : ''
}
</div>
</header>
<main id="main" tabindex="-1">
<h1>${f.title}</h1>
${f.body}
</main>
<footer><p class="muted">${w('时间均为北京时间（Asia/Shanghai）。建议人信息严格保密。', 'Times are Shanghai time (Asia/Shanghai). The proposer’s details are confidential.')}</p></footer>
</body>
</html>
`;
}

/**
 * Sends a workbench page: never cached (it shows a signed-in person's work), no script, styles
 * only the page's own sheet, images (the charts) and forms only from this site. `formTargets`
 * are the other origins a form may lead to (the identity provider, for signing out).
 */
export function sendPage(res: Response, markup: Html, opts: { status?: number; formTargets?: string[] } = {}): void {
  res.status(opts.status ?? 200);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'sha256-${cssHash}'; img-src 'self'; form-action 'self'${(opts.formTargets ?? []).map((o) => ` ${o}`).join('')}; base-uri 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
  res.send(markup.text);
}
