import { Router, type RequestHandler } from 'express';
import type { ApiContext } from '../context';
import { openCampaigns } from '../campaign-records';
import { label, langOf, t } from './i18n';
import { day, href, html, layout, ownWords, sendPage } from './layout';

// 主动征集 as a web page: the campaigns taking suggestions now (Art 8: topic, how to submit,
// deadline), each leading to the submission form with the campaign filled in.

export function campaignsPage(ctx: ApiContext, reads: RequestHandler): Router {
  const router = Router();

  router.get('/campaigns', reads, async (req, res) => {
    const lang = langOf(req);
    const campaigns = await openCampaigns(ctx.db, ctx.now?.() ?? new Date());
    const list = (values: string[], word: (v: string) => string) => ownWords(lang, values.map(word).join(lang === 'zh' ? '、' : ', '));
    const profile = ctx.profile!.current;
    const body = html`<p>${t(lang, 'campaignsIntro')}</p>
${
  campaigns.length === 0
    ? html`<p>${t(lang, 'noCampaigns')} <a href="${href(lang, '/submit')}">${t(lang, 'navSubmit')}</a></p>`
    : campaigns.map(
        (c) => html`<article>
<h2>${ownWords(lang, c.title)}</h2>
<p>${ownWords(lang, c.description)}</p>
<dl>
${c.topics.length ? html`<dt>${t(lang, 'topics')}</dt><dd>${list(c.topics, (v) => v)}</dd>` : ''}
${c.districts.length ? html`<dt>${t(lang, 'areas')}</dt><dd>${list(c.districts, (d) => label.district(lang, d, profile))}</dd>` : ''}
${c.categories.length ? html`<dt>${t(lang, 'category')}</dt><dd>${list(c.categories, (v) => label.category(lang, v, profile))}</dd>` : ''}
<dt>${t(lang, 'closes')}</dt><dd>${day(c.closesAt)}</dd>
</dl>
<p><a href="${href(lang, '/submit', { campaign: c.id })}">${t(lang, 'submitToCampaign', { title: c.title })}</a></p>
</article>`,
      )
}`;
    sendPage(res, layout({ lang, title: t(lang, 'campaignsTitle'), section: 'campaigns', path: '/campaigns', body }));
  });

  return router;
}
