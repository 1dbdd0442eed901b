import { Router, type RequestHandler } from 'express';
import { trackingNumberPattern } from '../../domain/tracking-number';
import { satisfactionRatings } from '../../domain/vocabulary';
import type { ApiContext } from '../context';
import { Problem } from '../problem';
import { forProposer, isWebLink, ownSuggestion, rate, ratingBody } from '../proposer-tracking';
import { placeSection, proposerFiles, sendProposerFile } from './attachment-views';
import { errorSummary, hidden, radios, textArea, textField, type FieldErrors } from './forms';
import { label, langOf, t, type Lang } from './i18n';
import { day, href, html, layout, sendPage, type Html, type Page } from './layout';

// 查询 and 评价 as a web page: the proposer enters the tracking number and token, sees what
// GET /v1/suggestions/{id}/tracking shows them, and rates the handling when the window is open.
// The token travels only in POST bodies, never in a URL, and no page here is ever cached.

type ProposerStatus = ReturnType<typeof forProposer>;
type Lookup = { trackingNumber: string; token: string };

export function statusPage(ctx: ApiContext, reads: RequestHandler, writes: RequestHandler[]): Router {
  const router = Router();

  async function departmentName(lang: Lang, code: string | undefined): Promise<string | undefined> {
    if (!code) return undefined;
    const d = await ctx.db.department.findUnique({ where: { code }, select: { name: true, nameEn: true } });
    return d ? (lang === 'zh' ? d.name : d.nameEn) : code;
  }

  /** The proposer's own suggestion, or the look-up form again with why it was not found. */
  async function lookUp(
    req: { body?: unknown },
    lang: Lang,
    res: Parameters<RequestHandler>[1],
  ): Promise<{ lookup: Lookup; status: ProposerStatus } | undefined> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lookup = {
      trackingNumber: String(body.trackingNumber ?? '')
        .trim()
        .toUpperCase(),
      token: String(body.token ?? '').trim(),
    };
    if (!lookup.trackingNumber || !lookup.token) {
      sendPage(
        res,
        lookupForm(lang, lookup, {
          ...(lookup.trackingNumber ? {} : { trackingNumber: t(lang, 'needBoth') }),
          ...(lookup.token ? {} : { token: t(lang, 'needBoth') }),
        }),
        { status: 400, personal: true },
      );
      return undefined;
    }
    try {
      if (!trackingNumberPattern.test(lookup.trackingNumber) || lookup.token.length > 200)
        throw new Problem(404, 'not-found', 'Not found', 'no such suggestion');
      return { lookup, status: forProposer(await ownSuggestion(ctx, lookup.trackingNumber, lookup.token)) };
    } catch (err) {
      if (!(err instanceof Problem) || err.status !== 404) throw err;
      sendPage(res, lookupForm(lang, lookup, {}, { heading: t(lang, 'mismatch'), text: t(lang, 'notFound') }), { status: 404, personal: true });
      return undefined;
    }
  }

  router.get('/status', reads, (req, res) => {
    sendPage(res, lookupForm(langOf(req), { trackingNumber: '', token: '' }, {}), { personal: true });
  });

  router.post('/status', ...writes, async (req, res) => {
    const lang = langOf(req);
    const found = await lookUp(req, lang, res);
    if (!found) return;
    sendPage(res, statusView(lang, found.lookup, found.status, await departmentName(lang, found.status.department), {}, await extras(lang, found.lookup)), {
      personal: true,
    });
  });

  /** The matter's place and the files on the suggestion (thumbnails inline: the token never goes in a URL). */
  async function extras(lang: Lang, lookup: Lookup): Promise<Html> {
    const row = await ctx.db.suggestion.findUnique({ where: { id: lookup.trackingNumber }, select: { place: true } });
    return html`${placeSection(lang, row?.place as never, ctx.profile!.current)}${await proposerFiles(ctx, lang, lookup)}`;
  }

  router.post('/status/attachment', ...writes, async (req, res) => {
    const lang = langOf(req);
    const found = await lookUp(req, lang, res);
    if (!found) return;
    const attachment = String((req.body as Record<string, unknown>).attachment ?? '');
    if (!(await sendProposerFile(ctx, res, found.lookup.trackingNumber, attachment)))
      throw new Problem(404, 'not-found', 'Not found', 'no such file on this suggestion');
  });

  router.post('/status/rating', ...writes, async (req, res) => {
    const lang = langOf(req);
    const found = await lookUp(req, lang, res);
    if (!found) return;
    const body = req.body as Record<string, unknown>;
    const comment = typeof body.comment === 'string' && body.comment.trim() ? body.comment : undefined;
    const rating = ratingBody.safeParse({ rating: body.rating, ...(comment ? { comment } : {}) });
    const show = async (status: ProposerStatus, outcome: RatingOutcome, code = 200) =>
      sendPage(res, statusView(lang, found.lookup, status, await departmentName(lang, status.department), outcome), { status: code, personal: true });
    if (!rating.success) return show(found.status, { errors: { rating: t(lang, 'chooseRating') }, comment: comment ?? '' }, 400);
    try {
      return await show(forProposer(await rate(ctx, found.lookup.trackingNumber, found.lookup.token, rating.data, req)), { rated: true });
    } catch (err) {
      if (!(err instanceof Problem) || err.status !== 409) throw err;
      return show(found.status, { general: t(lang, 'cannotRate') }, 409);
    }
  });

  return router;
}

/**
 * The look-up form, with what was typed kept in its fields (sent back in this page's body only,
 * which no one stores), and why the last look-up found nothing.
 */
function lookupForm(lang: Lang, typed: Lookup, errors: FieldErrors, mismatch?: { heading: string; text: string }): Page {
  const body = html`<p>${t(lang, 'statusIntro')}</p>
${mismatch ? errorSummary(lang, {}, mismatch.text, mismatch.heading) : errorSummary(lang, errors)}
<form method="post" action="${href(lang, '/status')}" novalidate>
${textField({ name: 'trackingNumber', label: t(lang, 'trackingNumber'), hint: t(lang, 'trackingNumberHint', { example: 'JY-20261127-7K3QXM' }), errors, value: typed.trackingNumber, maxLength: 24, required: true, code: true })}
${textField({ name: 'token', label: t(lang, 'trackingToken'), hint: t(lang, 'trackingTokenHint'), errors, value: typed.token, maxLength: 200, required: true, code: true })}
<button type="submit">${t(lang, 'lookUp')}</button>
</form>`;
  return layout({ lang, title: t(lang, 'statusTitle'), section: 'status', path: '/status', body });
}

interface RatingOutcome {
  rated?: boolean;
  errors?: FieldErrors;
  general?: string;
  comment?: string;
}

function statusView(lang: Lang, lookup: Lookup, s: ProposerStatus, department: string | undefined, rating: RatingOutcome = {}, extras: Html = html``): Page {
  const body = html`${rating.rated ? html`<p class="notice" role="status">${t(lang, 'rated')}</p>` : ''}
${errorSummary(lang, rating.errors ?? {}, rating.general)}
<section aria-labelledby="yours">
<h2 id="yours">${t(lang, 'yourSuggestion')}</h2>
<dl>
<dt>${t(lang, 'trackingNumber')}</dt><dd>${s.trackingNumber}</dd>
<dt>${t(lang, 'fieldTitle').replace(' *', '')}</dt><dd>${s.title}</dd>
<dt>${t(lang, 'status')}</dt><dd id="suggestion-status">${label.status(lang, s.status)}</dd>
${department ? html`<dt>${t(lang, 'department')}</dt><dd>${department}</dd>` : ''}
<dt>${t(lang, 'receivedOn')}</dt><dd>${day(s.receivedAt)}</dd>
${s.dueAt && !s.decision ? html`<dt>${t(lang, 'dueBy')}</dt><dd>${day(s.dueAt)}${s.dueAtProvisional ? html` ${t(lang, 'dueProvisional')}` : ''}</dd>` : ''}
</dl>
${s.satisfaction.rehandlingDueAt ? html`<p class="notice">${t(lang, 'rehandlingDue', { date: day(s.satisfaction.rehandlingDueAt) })}</p>` : ''}
${extras}
</section>
${
  s.decision
    ? html`<section aria-labelledby="reply">
<h2 id="reply">${t(lang, 'reply')}</h2>
<dl>
<dt>${t(lang, 'outcome')}</dt><dd id="outcome">${label.outcome(lang, s.decision.outcome)}</dd>
<dt>${t(lang, 'decidedOn')}</dt><dd>${day(s.decision.decidedAt)}</dd>
${s.decision.reason ? html`<dt>${t(lang, 'reason')}</dt><dd>${s.decision.reason}</dd>` : ''}
</dl>
<p id="reply-text">${s.decision.reply}</p>
</section>`
    : ''
}
${
  s.implementation
    ? html`<section aria-labelledby="implementation">
<h2 id="implementation">${t(lang, 'implementation')}</h2>
<p>${s.implementation.summary}</p>
<ul class="milestones">${s.implementation.milestones.map((m) => milestone(lang, m))}</ul>
</section>`
    : ''
}
${
  s.campaignResults
    ? html`<section aria-labelledby="campaign-results"><h2 id="campaign-results">${t(lang, 'campaignResults')}</h2><p>${s.campaignResults.summary}</p>${s.campaignResults.url && isWebLink(s.campaignResults.url) ? html`<p><a href="${s.campaignResults.url}" rel="noopener noreferrer nofollow">${s.campaignResults.url}</a></p>` : ''}</section>`
    : ''
}
${
  s.satisfaction.ratings.length
    ? html`<section aria-labelledby="ratings"><h2 id="ratings">${t(lang, 'yourRatings')}</h2><ul id="rating-list">${s.satisfaction.ratings.map((r) => html`<li>${day(r.at)}: ${label.rating(lang, r.rating)}${r.comment ? html` — ${r.comment}` : ''}</li>`)}</ul></section>`
    : ''
}
${s.satisfaction.state === 'awaiting' ? ratingForm(lang, lookup, s, rating) : ''}
<section aria-labelledby="timeline">
<h2 id="timeline">${t(lang, 'timeline')}</h2>
<ol>${s.timeline.map((e) => html`<li><time datetime="${e.at}">${day(e.at)}</time> ${label.event(lang, e.type)}</li>`)}</ol>
</section>`;
  return layout({ lang, title: t(lang, 'statusTitle'), section: 'status', path: '/status', body });
}

type Milestone = NonNullable<ProposerStatus['implementation']>['milestones'][number];

/** A milestone with what its department reported on it: the note, the date and the evidence link. */
function milestone(lang: Lang, m: Milestone): Html {
  return html`<li>${m.title}: ${m.percent}%${m.done ? html` (${t(lang, 'milestoneDone')})` : html`, ${t(lang, 'due')} ${day(m.dueAt)}`}
${
  m.reports.length
    ? html`<ul class="reports" aria-label="${t(lang, 'reportsOf', { title: m.title })}">${m.reports.map(
        (r) =>
          html`<li><time datetime="${r.at}">${day(r.at)}</time> ${t(lang, 'reportPercent', { percent: r.percent })}${lang === 'zh' ? '：' : ': '}${r.note}${r.evidenceUrl && isWebLink(r.evidenceUrl) ? html` <a href="${r.evidenceUrl}" rel="noopener noreferrer nofollow">${t(lang, 'evidence', { host: new URL(r.evidenceUrl).host })}</a>` : ''}</li>`,
      )}</ul>`
    : ''
}</li>`;
}

function ratingForm(lang: Lang, lookup: Lookup, s: ProposerStatus, rating: RatingOutcome): Html {
  const errors = rating.errors ?? {};
  return html`<section aria-labelledby="rate" class="box">
<h2 id="rate">${t(lang, 'rateTitle')}</h2>
${s.satisfaction.windowEndsAt ? html`<p>${t(lang, 'rateWindow', { date: day(s.satisfaction.windowEndsAt) })}</p>` : ''}
<form method="post" action="${href(lang, '/status/rating')}" novalidate>
${hidden('trackingNumber', lookup.trackingNumber)}${hidden('token', lookup.token)}
${radios({ name: 'rating', label: t(lang, 'rateLegend'), errors, options: satisfactionRatings.map((r) => [r, label.rating(lang, r)]) })}
${textArea({ name: 'comment', label: t(lang, 'comment'), errors, value: rating.comment, maxLength: 2000 })}
<button type="submit">${t(lang, 'sendRating')}</button>
</form>
</section>`;
}
