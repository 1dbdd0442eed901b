import { Router, type Request, type RequestHandler, type Response } from 'express';
import { canonicalTrackingToken, groupTrackingToken } from '../../domain/tracking-token-format';
import { trackingNumberPattern } from '../../domain/tracking-number';
import type { Category, Channel } from '../../domain/vocabulary';
import type { ApiContext } from '../context';
import { Problem } from '../problem';
import { ownSuggestion } from '../proposer-tracking';
import { hidden } from './forms';
import { langOf, t, type Lang } from './i18n';
import { day, helpNumber, href, html, layout, sendPage, siteOf, type HelpLine, type Page } from './layout';

// The receipt (回执) a citizen keeps after sending a suggestion: the tracking number, the token,
// when the reply is due and how to follow up. The page prints as one clean sheet (the print style
// sheet leaves out the site's navigation and forms), and the same receipt can be saved as a text
// file: a form posts the number and token back, and the answer is a download never stored.

export interface ReceiptFacts {
  trackingNumber: string;
  token: string;
  title: string;
  receivedAt: string;
  /** The department's reply deadline as the routing forecast counts it; unknown while it cannot. */
  replyBy?: { dueAt: Date; dueAtProvisional: boolean };
}

/** How long a receipt waits for the time limits and the calendar to be read, if they are not yet. */
const referenceDataWaitMs = 1000;

/**
 * The reply deadline a receipt promises, for a suggestion received at `receivedAt`; undefined
 * when the reference data cannot be read at once (the receipt then says where to look it up).
 */
export async function replyDeadline(ctx: ApiContext, s: { category: Category; channel: Channel; receivedAt: string }): Promise<ReceiptFacts['replyBy']> {
  const forecast = ctx.forecast;
  if (!forecast) return undefined;
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([forecast.ready(), new Promise((resolve) => (timer = setTimeout(resolve, referenceDataWaitMs)))]).finally(() => clearTimeout(timer));
    return forecast.responseDue({ ...s, receivedAt: new Date(s.receivedAt) });
  } catch {
    return undefined;
  }
}

function replyByText(lang: Lang, replyBy: ReceiptFacts['replyBy']): string {
  if (!replyBy) return t(lang, 'replyByUnknown');
  return `${t(lang, 'replyByDate', { date: day(replyBy.dueAt) })}${replyBy.dueAtProvisional ? ` ${t(lang, 'dueProvisional')}` : ''}`;
}

/** Where the status page is, written out in full so a printed receipt says it. */
export function statusUrl(req: Request, lang: Lang): string {
  return `${req.protocol}://${req.get('host')}${href(lang, '/status')}`;
}

export function receiptPage(lang: Lang, r: ReceiptFacts, help: HelpLine, statusAddress: string): Page {
  const body = html`<div class="notice no-print" role="status"><p>${t(lang, 'receiptIntro')}</p></div>
<section class="box receipt" aria-labelledby="receipt">
<h2 id="receipt">${t(lang, 'receiptHeading')}</h2>
<dl>
<dt>${t(lang, 'trackingNumber')}</dt><dd class="secret" id="tracking-number">${r.trackingNumber}</dd>
<dt>${t(lang, 'trackingToken')}</dt><dd class="secret" id="tracking-token">${r.token}</dd>
<dt>${t(lang, 'receivedOn')}</dt><dd>${day(r.receivedAt)}</dd>
<dt>${t(lang, 'replyBy')}</dt><dd id="reply-by">${replyByText(lang, r.replyBy)}</dd>
</dl>
<p class="hint">${t(lang, 'tokenNote')}</p>
<h3>${t(lang, 'followUpHeading')}</h3>
<ul id="follow-up">
<li>${t(lang, 'followUpOnline')}<a href="${href(lang, '/status')}">${statusAddress}</a>${lang === 'zh' ? '；' : ';'}</li>
<li>${t(lang, 'followUpPhone')}${helpNumber(lang, help)}${t(lang, 'followUpPhoneAfter')}</li>
</ul>
<p>${t(lang, 'keepSecret')}</p>
</section>
<p class="no-print">${t(lang, 'printHint')}</p>
<form method="post" action="${href(lang, '/receipt')}" class="no-print">
${hidden('trackingNumber', r.trackingNumber)}${hidden('token', r.token)}
<button type="submit">${t(lang, 'saveReceipt')}</button>
</form>
<form method="post" action="${href(lang, '/status')}" class="no-print">
${hidden('trackingNumber', r.trackingNumber)}${hidden('token', r.token)}
<button type="submit">${t(lang, 'openStatus')}</button>
</form>
<p class="no-print"><a href="${href(lang, '/submit')}">${t(lang, 'navSubmit')}</a></p>`;
  return layout({ lang, title: t(lang, 'receiptTitle'), section: 'submit', path: '/submit', body });
}

/** The same receipt as plain text, to be saved; CRLF and a byte-order mark so any editor shows the Chinese. */
export function receiptText(lang: Lang, r: ReceiptFacts, help: HelpLine, statusUrl: string): string {
  const colon = lang === 'zh' ? '：' : ': ';
  const hours = help.hours ?? t(lang, 'helpAllDay');
  const lines = [
    `${t(lang, 'siteName')} · ${t(lang, 'receiptHeading')}`,
    '',
    `${t(lang, 'trackingNumber')}${colon}${r.trackingNumber}`,
    `${t(lang, 'trackingToken')}${colon}${r.token}`,
    `${t(lang, 'fieldTitle').replace(' *', '')}${colon}${r.title}`,
    `${t(lang, 'receivedOn')}${colon}${day(r.receivedAt)}`,
    `${t(lang, 'replyBy')}${colon}${replyByText(lang, r.replyBy)}`,
    '',
    `${t(lang, 'followUpHeading')}${colon}`,
    `- ${t(lang, 'followUpOnline')}${statusUrl}`,
    `- ${t(lang, 'followUpPhone')}${help.phone}${lang === 'zh' ? `（${hours}）` : ` (${hours})`}${t(lang, 'followUpPhoneAfter')}`,
    '',
    t(lang, 'tokenNote'),
    t(lang, 'keepSecret'),
  ];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function receiptRoutes(ctx: ApiContext, writes: RequestHandler[]): Router {
  const router = Router();

  router.post('/receipt', ...writes, async (req, res) => {
    const lang = langOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const trackingNumber = String(body.trackingNumber ?? '')
      .trim()
      .toUpperCase();
    const typed = String(body.token ?? '').trim();
    if (!trackingNumberPattern.test(trackingNumber) || !typed || typed.length > 200) return notFound(res, lang);
    try {
      const view = await ownSuggestion(ctx, trackingNumber, typed);
      const canonical = canonicalTrackingToken(typed);
      const facts: ReceiptFacts = {
        trackingNumber,
        token: canonical ? groupTrackingToken(canonical) : typed,
        title: view.title,
        receivedAt: view.receivedAt,
        replyBy: await replyDeadline(ctx, view),
      };
      const help = siteOf(res).help;
      res.status(200);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.attachment(t(lang, 'receiptFile', { number: trackingNumber }));
      res.type('text/plain; charset=utf-8');
      res.send(receiptText(lang, facts, help, statusUrl(req, lang)));
    } catch (err) {
      if (!(err instanceof Problem) || err.status !== 404) throw err;
      notFound(res, lang);
    }
  });

  return router;
}

function notFound(res: Response, lang: Lang): void {
  const body = html`<p class="alert" role="alert">${t(lang, 'notFound')}</p><p><a href="${href(lang, '/status')}">${t(lang, 'navStatus')}</a></p>`;
  sendPage(res, layout({ lang, title: t(lang, 'errorTitle'), section: 'status', path: '/status', body }), { status: 404, personal: true });
}
