import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { defaultHelpPhone } from '../../domain/config';
import { shanghaiDate } from '../../domain/calendar';
import { htmlLang, t, type Lang } from './i18n';

// The frame every public page shares: one small inline style sheet, no script, landmarks, a skip
// link and the language switch. Pages are built with the html`` tag, which escapes every value
// it is given unless that value is itself markup built the same way.

/** Markup that is already safe to send. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => entities[c]);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/**
 * Text whose words are someone else's (a campaign the office wrote in Chinese), marked with its
 * own language on a page in the other one, so a screen reader reads it with the right voice.
 */
export function ownWords(lang: Lang, text: string): Html | string {
  return lang === 'en' && /[\u3400-\u9fff]/.test(text) ? html`<span lang="zh-CN">${text}</span>` : text;
}

/** A date as the city writes it, in Shanghai time. */
export function day(iso: string | Date): string {
  return shanghaiDate(typeof iso === 'string' ? new Date(iso) : iso);
}

/** A path on this site in the reader's language, with a query whose empty values are left out. */
export function href(lang: Lang, path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  if (lang === 'en') params.set('lang', 'en');
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

// Body text #1b1b1b and muted text #4a4a4a on white, links #0b4f9c, buttons white on #0b4f9c,
// errors #a4000f: all above 7:1, so they pass WCAG AAA for normal text. Focus shows a thick outline.
const css = `*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.6;color:#1b1b1b;background:#fff}
body{margin:0}
a{color:#0b4f9c}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #b34700;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{border-bottom:1px solid #c8c8c8;padding-top:.5rem;padding-bottom:.5rem}
.site{font-weight:700;font-size:1.1rem;margin:0}
.help{margin:0}
nav ul{list-style:none;margin:.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a[aria-current=page]{font-weight:700}
.switches{float:right;list-style:none;margin:0 0 0 1rem;padding:0;display:flex;flex-wrap:wrap;gap:0 1rem}
h1{font-size:1.5rem;line-height:1.3}
h2{font-size:1.2rem;margin:1.25rem 0 .25rem}
article,.box{border:1px solid #c8c8c8;border-radius:.5rem;padding:.25rem 1rem 1rem;margin:1rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.125rem 1rem;margin:.5rem 0}
dt{color:#4a4a4a}
dd{margin:0}
.muted,.hint{color:#4a4a4a;font-size:.95rem}
.hint{margin:.125rem 0 0}
label,legend{display:block;font-weight:600;margin-top:1rem}
fieldset{border:0;padding:0;margin:0}
.choice{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin-top:.5rem}
.choice input{margin-top:.35rem}
input[type=text],input[type=tel],input[type=email],select,textarea{display:block;width:100%;font:inherit;padding:.5rem;border:2px solid #595959;border-radius:.25rem;background:#fff;color:#1b1b1b}
textarea{min-height:9rem}
input[type=file]{display:block;font:inherit;padding:.25rem 0}
[aria-invalid=true]{border-color:#a4000f}
button{font:inherit;font-weight:600;margin-top:1rem;padding:.6rem 1.4rem;border:0;border-radius:.25rem;background:#0b4f9c;color:#fff;cursor:pointer}
.error{color:#a4000f;font-weight:600;margin:.125rem 0 0}
.alert{border:2px solid #a4000f;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}
.alert-heading{font-size:1.1rem;margin:.5rem 0 .25rem}
.notice{border:2px solid #1b5e20;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}
.secret{font-family:ui-monospace,monospace;font-size:1.15rem;overflow-wrap:anywhere}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:0 1rem}
.field{min-width:0}
.reports{margin:.25rem 0 .75rem;padding-left:1.5rem}
.pages{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
footer{border-top:1px solid #c8c8c8;margin-top:2rem;padding-top:.5rem;padding-bottom:2rem}
.elder{font-size:125%;line-height:1.75;color:#000}
.elder a{color:#003a80;text-decoration-thickness:2px;text-underline-offset:.15em}
.elder :focus-visible{outline-width:4px}
.elder header,.elder main,.elder footer{max-width:42rem}
.elder header,.elder footer{border-color:#000}
.elder h1{font-size:1.6rem;line-height:1.4}
.elder h2{font-size:1.3rem}
.elder nav ul,.elder .switches{gap:.25rem 1.5rem}
.elder nav a,.elder .switches a{display:inline-block;padding:.375rem 0}
.elder dl,.elder .filters{grid-template-columns:1fr;gap:0}
.elder dt{color:#000;font-weight:700}
.elder dd{margin-bottom:.5rem}
.elder .muted,.elder .hint{color:#000;font-size:1rem}
.elder article,.elder .box,.elder .alert,.elder .notice{border-width:2px;border-radius:0}
.elder article,.elder .box{border-color:#000}
.elder input[type=text],.elder input[type=tel],.elder input[type=email],.elder select,.elder textarea,.elder input[type=file]{min-height:3rem;border:3px solid #000;border-radius:0;color:#000}
.elder textarea{min-height:10rem}
.elder .switches{float:none;margin:0}
.elder button{min-height:3rem;padding:.75rem 1.5rem;border-radius:0;background:#003a80}
.elder .choice input{width:1.5rem;height:1.5rem;margin-top:.3rem;flex:none}
.elder .secret{font-size:1.4rem}
@media print{html{font-size:11pt;color:#000;background:#fff}.skip,nav,.switches,.no-print,form,footer{display:none}header,main{max-width:none;padding:0}header{border:0}a{color:#000;text-decoration:none}.box,article{border:1px solid #000;break-inside:avoid}}`;

/** The style sheet's hash: the Content-Security-Policy allows this inline style and nothing else. */
const cssHash = createHash('sha256').update(css).digest('base64');
const contentSecurityPolicy = `default-src 'none'; style-src 'sha256-${cssHash}'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

export type Section = 'board' | 'campaigns' | 'submit' | 'status';

const sections: [Section, string, Parameters<typeof t>[1]][] = [
  ['board', '/board', 'navBoard'],
  ['campaigns', '/campaigns', 'navCampaigns'],
  ['submit', '/submit', 'navSubmit'],
  ['status', '/status', 'navStatus'],
];

export interface PageFrame {
  lang: Lang;
  title: string;
  section?: Section;
  /** Where the language link leads: this page in the other language (a GET path with its query). */
  path: string;
  query?: Record<string, string | number | undefined>;
  body: Html;
}

/** The city's help line, shown on every page (HELP_PHONE, and HELP_HOURS when it is not the whole day). */
export interface HelpLine {
  phone: string;
  hours?: string;
}

/** What every page of a request shares besides its language, kept in res.locals by the pages' router. */
export interface Site {
  help: HelpLine;
  /** The reader chose the elder-friendly mode (长辈版, elder.ts). */
  elder: boolean;
}

export const defaultSite: Site = { help: { phone: defaultHelpPhone }, elder: false };

/** A page described, to be rendered by sendPage with the request's Site. */
export class Page {
  constructor(readonly frame: PageFrame) {}
}

export function layout(frame: PageFrame): Page {
  return new Page(frame);
}

/** Lets the pages of this router know the help line (and whatever else every page shows). */
export function useSite(siteOf: (req: Request) => Site): RequestHandler {
  return (req, res, next) => {
    res.locals.site = siteOf(req);
    next();
  };
}

/** The help line's number as a phone dials it, and its hours. */
export function helpNumber(lang: Lang, help: HelpLine): Html {
  const hours = help.hours ?? t(lang, 'helpAllDay');
  return html`<a href="tel:${help.phone.replace(/[^\d+]/g, '')}">${help.phone}</a>${lang === 'zh' ? `（${hours}）` : ` (${hours})`}`;
}

/** The help line as a person reads it. */
export function helpLine(lang: Lang, help: HelpLine): Html {
  return html`${t(lang, 'helpLine')}${helpNumber(lang, help)}`;
}

export function renderPage({ frame }: Page, site: Site): Html {
  const other: Lang = frame.lang === 'zh' ? 'en' : 'zh';
  return html`<!doctype html>
<html lang="${htmlLang[frame.lang]}"${site.elder ? new Html(' class="elder"') : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · ${t(frame.lang, 'siteName')}</title>
<style>${new Html(css)}</style>
</head>
<body>
<a class="skip" href="#main">${t(frame.lang, 'skipToContent')}</a>
<header>
<ul class="switches">
<li><a class="lang" href="${href(other, frame.path, frame.query)}" lang="${htmlLang[other]}" hreflang="${htmlLang[other]}">${t(frame.lang, 'otherLanguage')}</a></li>
<li><a class="mode" href="${href(frame.lang, '/elder', { on: site.elder ? '0' : '1', back: href(frame.lang, frame.path, frame.query) })}">${t(frame.lang, site.elder ? 'standardMode' : 'elderMode')}</a></li>
</ul>
<p class="site">${t(frame.lang, 'siteName')}</p>
<p class="help" id="help-line">${helpLine(frame.lang, site.help)}</p>
<nav aria-label="${t(frame.lang, 'navLabel')}"><ul>
${sections.map(([name, path, key]) => html`<li><a href="${href(frame.lang, path)}"${name === frame.section ? new Html(' aria-current="page"') : ''}>${t(frame.lang, key)}</a></li>`)}
</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>${frame.title}</h1>
${frame.body}
</main>
<footer><p class="muted">${t(frame.lang, 'footer')}</p><p class="muted">${helpLine(frame.lang, site.help)}</p></footer>
</body>
</html>
`;
}

/** The Site the pages' router keeps for this request. */
export function siteOf(res: Response): Site {
  return (res.locals.site as Site | undefined) ?? defaultSite;
}

/**
 * Sends a page. Pages that show a proposer's own suggestion or a secret are never stored by a
 * browser or a proxy; the others are revalidated on each visit, so the board is always current.
 */
export function sendPage(res: Response, page: Page, options: { status?: number; personal?: boolean } = {}): void {
  res.status(options.status ?? 200);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', options.personal ? 'no-store' : 'no-cache');
  // The elder-friendly mode is a cookie: a cache keeps each mode's page apart.
  res.setHeader('Vary', 'Cookie');
  res.send(renderPage(page, siteOf(res)).text);
}
