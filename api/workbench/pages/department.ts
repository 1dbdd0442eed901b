import { Router } from 'express';
import { qs } from '../api';
import { deskOf, sendDeskPage, type Desk } from '../desk';
import { html, link, when, words, type W } from '../frame';
import { deadlineMarks, say } from '../words';

// A department officer's desk: everything the department still owes work on, soonest deadline
// first (answers, re-handling, co-handling opinions, milestones, follow-up checks), and the
// notices the chain sent the department.

interface Item {
  id: string;
  trackingNumber: string;
  title: string;
  status: string;
  category: string;
  district: string;
  dueAt: string | null;
  dueAtProvisional: boolean;
  overdue: boolean;
  receivedAt: string;
  role: 'lead' | 'co';
}

/** What the department owes on each kind of item. */
function owed(w: W, item: Item): string {
  if (item.role === 'co') return w('会办意见', 'Co-handling opinion');
  switch (item.status) {
    case 'handling':
      return w('办理答复', 'Decide and reply');
    case 'rehandling':
      return w('重新办理', 'Handle again');
    case 'implementing':
      return w('落实进度', 'Milestones');
    case 'implemented':
      return w('回头看', 'Follow-up check');
    default:
      return '';
  }
}

export function departmentPages(): Router {
  const router = Router();

  router.get('/staff/inbox', async (_req, res) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const code = desk.viewer.departmentCode;
    if (desk.viewer.role !== 'department' || !code) return res.redirect(303, link(desk.lang, '/staff/'));
    const inbox = (status?: string) =>
      desk.api.get<{ items: Item[]; nextCursor: string | null }>(`/v1/departments/${code}/inbox${qs({ status, limit: 100, sort: 'dueAt' })}`);
    const pages = await Promise.all([inbox(), inbox('implementing'), inbox('implemented')]);
    // A co-handling department owes only its opinion while the lead still handles it.
    const items = pages
      .flatMap((p, i) => (i === 0 ? p.items : p.items.filter((it) => it.role === 'lead')))
      .sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
    const more = pages.some((p) => p.nextCursor);
    sendDeskPage(res, desk, {
      title: w('待办', 'Inbox'),
      section: 'inbox',
      path: '/staff/inbox',
      body: html`<p>${w(`共 ${items.length} 件，按办理时限排序。`, `${items.length} in all, soonest deadline first.`)}${more ? w('（仅显示前 100 件）', ' (the first 100 shown)') : ''}</p>
${
  items.length === 0
    ? html`<p>${w('暂无待办。', 'Nothing to do.')}</p>`
    : html`<table id="inbox"><caption class="muted">${w('超期与即将到期的已标出；暂定时限按预测的节假日安排计算。', 'Overdue and soon-due items are marked; provisional deadlines are counted on a forecast holiday schedule.')}</caption>
<thead><tr><th scope="col">${w('建议编号', 'Number')}</th><th scope="col">${w('标题', 'Title')}</th><th scope="col">${w('待办事项', 'Owed')}</th><th scope="col">${w('状态', 'Status')}</th><th scope="col">${w('办理时限', 'Due')}</th><th scope="col">${w('类别', 'Category')}</th></tr></thead><tbody>
${items.map((it) => html`<tr><td><a href="${link(desk.lang, `/staff/suggestions/${it.id}`)}">${it.trackingNumber}</a></td><td>${it.title}</td><td>${owed(w, it)}</td><td>${say.status(desk.lang, it.status)}</td><td>${when(it.dueAt)}${deadlineMarks(desk.lang, it)}</td><td>${say.category(desk.lang, it.category, desk.profile)}</td></tr>`)}
</tbody></table>`
}`,
    });
  });

  router.get('/staff/notices', async (req, res) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const code = desk.viewer.departmentCode;
    if (desk.viewer.role !== 'department' || !code) return res.redirect(303, link(desk.lang, '/staff/'));
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const notices = await desk.api.get<{
      items: { id: string; suggestionId: string | null; subject: string; body: string; deliveredAt: string }[];
      nextCursor: string | null;
    }>(`/v1/departments/${code}/notices${qs({ limit: 50, cursor })}`);
    sendDeskPage(res, desk, {
      title: w('通知', 'Notices'),
      section: 'notices',
      path: '/staff/notices',
      body: noticesBody(desk, w, notices),
    });
  });

  return router;
}

function noticesBody(
  desk: Desk,
  w: W,
  notices: { items: { id: string; suggestionId: string | null; subject: string; body: string; deliveredAt: string }[]; nextCursor: string | null },
) {
  return html`${
    notices.items.length === 0
      ? html`<p>${w('暂无通知。', 'No notices.')}</p>`
      : html`<ul id="notices">
${notices.items.map((n) => html`<li><p><strong>${n.subject}</strong> <span class="muted">${when(n.deliveredAt)}</span>${n.suggestionId ? html` · <a href="${link(desk.lang, `/staff/suggestions/${n.suggestionId}`)}">${n.suggestionId}</a>` : ''}</p><p>${n.body}</p></li>`)}
</ul>`
  }
${notices.nextCursor ? html`<p><a href="${link(desk.lang, '/staff/notices', { cursor: notices.nextCursor })}">${w('更早的通知', 'Older notices')}</a></p>` : ''}`;
}
