import { Router, type RequestHandler } from 'express';
import type { CityProfile } from '../../domain/profile';
import { withProfile } from '../../domain/profile-codes';
import type { ApiContext } from '../context';
import { boardQuery, readBoard } from '../public-board';
import { boardEvidence, placeSection } from './attachment-views';
import { select } from './forms';
import { label, langOf, t, type Lang } from './i18n';
import { day, href, html, layout, sendPage, type Html } from './layout';

// 公开反馈 as a web page: the rows of GET /v1/public/suggestions (read by the same function), with
// the filters as a plain GET form and page links. Nothing here reads the proposer's table.

const pageSize = 10;
const filterNames = ['department', 'district', 'street', 'category', 'campaign'] as const;

type Board = Awaited<ReturnType<typeof readBoard>>;
type Names = Map<string, { name: string; nameEn: string }>;

export function boardPage(ctx: ApiContext, reads: RequestHandler): Router {
  const router = Router();

  router.get('/board', reads, async (req, res) => {
    const lang = langOf(req);
    const asked: Record<string, string> = {};
    for (const name of [...filterNames, 'page'] as const) {
      const value = req.query[name];
      if (typeof value === 'string' && value.trim() !== '') asked[name] = value.trim();
    }
    const profile = ctx.profile!.current;
    const parsed = withProfile(profile, () => boardQuery.safeParse({ ...asked, pageSize }));
    const query = parsed.success ? parsed.data : boardQuery.parse({ pageSize });
    const [board, departments, campaigns] = await Promise.all([
      readBoard(ctx.db, query, ctx.profile!.current),
      ctx.db.department.findMany({ select: { code: true, name: true, nameEn: true }, orderBy: { code: 'asc' }, take: 500 }),
      ctx.db.campaign.findMany({ select: { id: true, title: true }, orderBy: { opensAt: 'desc' }, take: 200 }),
    ]);
    const names: Names = new Map(departments.map((d) => [d.code, d]));
    const filters = parsed.success ? asked : {};
    const body = html`<p>${t(lang, 'boardIntro')}</p>
${parsed.success ? '' : html`<p class="alert" role="alert">${t(lang, 'badFilter')}</p>`}
<form method="get" action="/board" class="box" role="search" aria-label="${t(lang, 'filters')}">
<h2>${t(lang, 'filters')}</h2>
${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<div class="filters">
${select({ name: 'department', label: t(lang, 'department'), errors: {}, value: filters.department, blank: t(lang, 'any'), options: departments.map((d) => [d.code, lang === 'zh' ? d.name : d.nameEn]) })}
${select({ name: 'district', label: t(lang, 'district'), errors: {}, value: filters.district, blank: t(lang, 'any'), options: profile.codes('district').map((d) => [d, label.district(lang, d, profile)]) })}
${select({ name: 'street', label: lang === 'zh' ? '街道或镇' : 'Street or town', errors: {}, value: filters.street, blank: t(lang, 'any'), options: profile.streets.filter((s) => !filters.district || s.district === filters.district).map((s) => [s.code, s.name]) })}
${select({ name: 'category', label: t(lang, 'category'), errors: {}, value: filters.category, blank: t(lang, 'any'), options: profile.codes('category').map((c) => [c, label.category(lang, c, profile)]) })}
${select({ name: 'campaign', label: t(lang, 'campaign'), errors: {}, value: filters.campaign, blank: t(lang, 'any'), options: campaigns.map((c) => [c.id, c.title]) })}
</div>
<button type="submit">${t(lang, 'applyFilters')}</button>
</form>
<p class="muted">${t(lang, 'resultCount', { n: board.total })}</p>
${board.items.length ? board.items.map((item) => boardItem(lang, item, names, profile)) : html`<p>${t(lang, 'noResults')}</p>`}
${pagination(lang, board, filters)}`;
    sendPage(
      res,
      layout({
        lang,
        title: t(lang, 'boardTitle'),
        section: 'board',
        path: '/board',
        query: { ...filters, page: query.page > 1 ? query.page : undefined },
        body,
      }),
      { status: parsed.success ? 200 : 400 },
    );
  });

  return router;
}

function boardItem(lang: Lang, item: Board['items'][number], names: Names, profile: CityProfile): Html {
  const department = names.get(item.department);
  return html`<article>
<h2>${item.title}</h2>
${item.award ? html`<p><strong>${t(lang, 'award', { year: item.award.year })}</strong>${item.award.citation ? html` — ${item.award.citation}` : ''}</p>` : ''}
<dl>
<dt>${t(lang, 'outcome')}</dt><dd>${label.outcome(lang, item.outcome ?? '')}</dd>
<dt>${t(lang, 'department')}</dt><dd>${department ? (lang === 'zh' ? department.name : department.nameEn) : item.department}</dd>
<dt>${t(lang, 'district')}</dt><dd>${label.district(lang, item.district, profile)}</dd>
<dt>${t(lang, 'category')}</dt><dd>${label.category(lang, item.category, profile)}</dd>
${item.usage.length ? html`<dt>${t(lang, 'usage')}</dt><dd>${item.usage.map((u) => label.usage(lang, u)).join(lang === 'zh' ? '、' : ', ')}</dd>` : ''}
<dt>${t(lang, 'receivedOn')}</dt><dd>${day(item.receivedAt)}</dd>
<dt>${t(lang, 'decidedOn')}</dt><dd>${day(item.decidedAt)}</dd>
${item.implementedAt ? html`<dt>${t(lang, 'implementedOn')}</dt><dd>${day(item.implementedAt)}</dd>` : ''}
<dt>${t(lang, 'progress')}</dt><dd>${item.progress.percent}%</dd>
</dl>
${placeSection(lang, item.place ? { address: item.place.address, street: item.place.street?.code, coordinates: item.place.coordinates?.wgs84 } : undefined, profile)}
${item.summary ? html`<h3>${t(lang, 'whatChanged')}</h3><p>${item.summary}</p>` : ''}
${boardEvidence(lang, item.evidence)}
${
  item.progress.milestones.length
    ? html`<ul>${item.progress.milestones.map((m) => html`<li>${m.title}: ${m.percent}%${m.done ? html` (${t(lang, 'milestoneDone')})` : html`, ${t(lang, 'due')} ${day(m.dueAt)}`}</li>`)}</ul>`
    : ''
}
</article>`;
}

function pagination(lang: Lang, board: Board, filters: Record<string, string>): Html {
  const pages = Math.max(1, Math.ceil(board.total / board.pageSize));
  if (pages === 1) return html``;
  const link = (page: number) => href(lang, '/board', { ...filters, page });
  return html`<nav aria-label="${t(lang, 'pagination')}" class="pages">
${board.page > 1 ? html`<a href="${link(board.page - 1)}" rel="prev">${t(lang, 'previous')}</a>` : ''}
<span>${t(lang, 'pageOf', { page: board.page, pages })}</span>
${board.page < pages ? html`<a href="${link(board.page + 1)}" rel="next">${t(lang, 'next')}</a>` : ''}
</nav>`;
}
