import { Router, type Request, type Response } from 'express';
import { outOfScopeKinds } from '../../../domain/handling';
import { adoptionUsages, outcomes, outcomesNeedingPlan } from '../../../domain/vocabulary';
import { outcomeWords, usageWords } from '../../../domain/vocabulary-labels';
import { attachmentIdPattern, attachmentTypes } from '../../../domain/attachments';
import type { ReceivedFile } from '../../multipart';
import { filesSection, placeText } from '../attachments';
import { deskOf, sendDeskPage, type Desk } from '../desk';
import {
  choices,
  emptyForm,
  errorSummary,
  field,
  fileInput,
  formStart,
  hidden,
  input,
  listField,
  numberField,
  refused,
  select,
  textarea,
  type FormState,
  type Values,
} from '../forms';
import { dayOf, html, link, when, words, type Html, type W } from '../frame';
import { deadlineMarks, departmentName, departmentOptions, options, say, type Department } from '../words';

// One suggestion as staff see it (the content, deadline, timeline, returns, co-handling opinions,
// milestones) with the forms of what the signed-in person may do to it now. Each form posts here;
// the page sends the API's request, and on a refusal shows the page again with the API's errors
// next to the fields and everything typed kept.

type View = any;
type Forms = Partial<Record<string, FormState>>;

const milestoneRows = 3;

export function suggestionPages(): Router {
  const router = Router();
  erasureRoute(router);

  router.get('/staff/suggestions/:id', async (req, res) => {
    const desk = deskOf(res);
    await show(req, res, desk, {});
  });

  router.post('/staff/suggestions/:id/:action', async (req, res) => {
    const desk = deskOf(res);
    const id = String(req.params.id);
    const action = String(req.params.action);
    const values = req.body as Values;
    const request = requests[action]?.(values, id);
    if (!request) return void res.status(404).end();
    if (action === 'progress') {
      // The evidence files go to the API's uploads first, as this person; the report names them.
      const sent = await uploadEvidence(desk, (res.locals.files as ReceivedFile[] | undefined) ?? [], field(values, '_key') ?? id);
      if ('refused' in sent) return show(req, res, desk, { [formKey(action, values)]: { values, errors: { evidence: sent.refused } } }, sent.status);
      if (sent.ids.length) request.body = { ...(request.body as object), evidence: sent.ids };
    }
    const answer = await desk.api.call(request.method, request.path, request.body, field(values, '_key'));
    if (answer.status < 300) return res.redirect(303, link(desk.lang, `/staff/suggestions/${id}`, { done: action }));
    await show(req, res, desk, { [formKey(action, values)]: refused(values, answer.body as never) }, answer.status);
  });

  // A file or thumbnail of the suggestion, fetched from the API with the person's token: the API
  // decides who may see it, and what it answers (404 included) is passed on as it is.
  router.get(['/staff/suggestions/:id/files/:attachmentId', '/staff/suggestions/:id/files/:attachmentId/thumbnail'], async (req, res) => {
    const desk = deskOf(res);
    const attachmentId = String(req.params.attachmentId);
    if (!attachmentIdPattern.test(attachmentId)) return void res.status(404).end();
    const part = req.path.endsWith('/thumbnail') ? '/thumbnail' : '';
    const file = await desk.api.file(`/v1/suggestions/${encodeURIComponent(String(req.params.id))}/attachments/${attachmentId}${part}`);
    res.status(file.status);
    res.setHeader('Content-Type', file.status === 200 && file.contentType ? file.contentType : 'text/plain; charset=utf-8');
    if (file.status === 200 && file.disposition) res.setHeader('Content-Disposition', file.disposition);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.status === 200 ? file.bytes : '');
  });

  router.get('/staff/suggestions/:id/proposer', async (req, res) => {
    const desk = deskOf(res);
    const id = String(req.params.id);
    const w = words(desk.lang);
    const proposer = await desk.api.get(`/v1/suggestions/${id}/proposer`);
    const state = emptyForm();
    sendDeskPage(res, desk, {
      title: w(`建议人信息：${id}`, `Proposer of ${id}`),
      path: `/staff/suggestions/${id}/proposer`,
      body: proposerBody(desk, w, id, proposer, state),
    });
  });

  return router;
}

/** The API request each form becomes. */
const requests: Record<string, (v: Values, id: string) => { method: string; path: string; body?: unknown } | undefined> = {
  decision: (v, id) => ({ method: 'POST', path: `/v1/suggestions/${id}/decision`, body: decisionBody(v) }),
  return: (v, id) => ({ method: 'POST', path: `/v1/suggestions/${id}/return`, body: { reason: field(v, 'reason') } }),
  'extension-request': (v, id) => ({
    method: 'POST',
    path: `/v1/suggestions/${id}/extension-request`,
    body: { days: numberField(v, 'days'), reason: field(v, 'reason') },
  }),
  opinion: (v, id) => ({ method: 'POST', path: `/v1/suggestions/${id}/opinion`, body: { opinion: field(v, 'opinion') } }),
  progress: (v, id) => {
    const milestone = field(v, 'milestoneId');
    if (!milestone || !/^M\d{1,4}$/.test(milestone)) return undefined;
    return {
      method: 'POST',
      path: `/v1/suggestions/${id}/implementation/milestones/${milestone}/progress`,
      body: { percent: numberField(v, 'percent'), note: field(v, 'note'), evidenceUrl: field(v, 'evidenceUrl') },
    };
  },
  'follow-up': (v, id) => ({
    method: 'POST',
    path: `/v1/suggestions/${id}/implementation/follow-up`,
    body: { stillInPlace: yesNo(v, 'stillInPlace'), note: field(v, 'note') },
  }),
  assignment: (v, id) => ({
    method: 'POST',
    path: `/v1/suggestions/${id}/assignment`,
    body: { leadDepartment: field(v, 'leadDepartment'), coDepartments: listField(v, 'coDepartments'), reason: field(v, 'reason') },
  }),
  'out-of-scope': (v, id) => ({
    method: 'POST',
    path: `/v1/suggestions/${id}/out-of-scope`,
    body: { kind: field(v, 'kind'), reason: field(v, 'reason'), referral: field(v, 'referral') },
  }),
  urgent: (v, id) => ({ method: 'POST', path: `/v1/suggestions/${id}/urgent`, body: { reason: field(v, 'reason') } }),
  merge: (v, id) => ({ method: 'POST', path: `/v1/suggestions/${id}/merge`, body: { into: field(v, 'into'), reason: field(v, 'mergeReason') } }),
  unmerge: (v, id) => ({ method: 'DELETE', path: `/v1/suggestions/${id}/merge`, body: { reason: field(v, 'unmergeReason') } }),
  'extension-decision': (v, id) => ({
    method: 'POST',
    path: `/v1/suggestions/${id}/extension-decision`,
    body: { approve: yesNo(v, 'approve'), reason: field(v, 'reason') },
  }),
};

/** Uploads the files sent with a form, each once under the form's key; the first refusal says which file and why. */
async function uploadEvidence(desk: Desk, files: ReceivedFile[], formKey: string): Promise<{ ids: string[] } | { refused: string; status: number }> {
  const w = words(desk.lang);
  const ids: string[] = [];
  for (const [i, file] of files.filter((f) => f.field === 'evidence').entries()) {
    if (file.tooLarge) return { refused: w(`${file.filename}：文件超过 10 MB`, `${file.filename}: larger than 10 MB`), status: 413 };
    const answer = await desk.api.upload(file.bytes, file.filename, `${formKey}:evidence:${i}`);
    if (answer.status >= 300 || !answer.body.uploadId)
      return { refused: `${file.filename}: ${answer.body.detail ?? answer.body.title ?? answer.status}`, status: answer.status };
    ids.push(answer.body.uploadId);
  }
  return { ids };
}

/** Each progress form is one milestone's: its state is kept apart from the others'. */
const formKey = (action: string, v: Values) => (action === 'progress' ? `progress:${field(v, 'milestoneId')}` : action);

function yesNo(v: Values, name: string): boolean | string | undefined {
  const value = field(v, name);
  return value === 'yes' ? true : value === 'no' ? false : value;
}

function decisionBody(v: Values): unknown {
  const outcome = field(v, 'outcome');
  const milestones = Array.from({ length: milestoneRows }, (_, i) => ({
    title: field(v, `plan.milestones.${i}.title`),
    ownerDepartment: field(v, `plan.milestones.${i}.ownerDepartment`),
    dueInWorkingDays: numberField(v, `plan.milestones.${i}.dueInWorkingDays`),
  })).filter((m) => m.title !== undefined || m.dueInWorkingDays !== undefined);
  const usage = listField(v, 'plan.usage');
  const summary = field(v, 'plan.summary');
  const wantsPlan = outcomesNeedingPlan.includes(outcome as never) || usage.length > 0 || summary !== undefined || milestones.length > 0;
  return {
    outcome,
    reason: field(v, 'reason'),
    reply: field(v, 'reply'),
    ...(wantsPlan ? { plan: { usage, summary, milestones } } : {}),
  };
}

async function show(req: Request, res: Response, desk: Desk, forms: Forms, status = 200): Promise<void> {
  const id = String(req.params.id);
  const [view, departments, similar] = await Promise.all([
    desk.api.get<View>(`/v1/suggestions/${id}`),
    desk.api.get<{ items: Department[] }>('/v1/departments'),
    similarTo(desk, id),
  ]);
  const w = words(desk.lang);
  const done = typeof req.query.done === 'string' ? req.query.done : undefined;
  sendDeskPage(
    res,
    desk,
    {
      title: `${view.trackingNumber} · ${view.title}`,
      section: desk.viewer.role === 'department' ? 'inbox' : desk.viewer.role === 'office' ? 'triage' : 'overdue',
      path: `/staff/suggestions/${id}`,
      body: html`${done && status === 200 ? html`<p class="notice" role="status">${w('已提交，记录如下。', 'Done: the suggestion now stands as below.')}</p>` : ''}
${facts(desk, w, view, departments.items)}
${similarSection(desk, w, similar, departments.items)}
${actions(desk, w, view, departments.items, forms, similar)}
${history(desk, w, view, departments.items)}`,
    },
    status,
  );
}

interface SimilarItem {
  id: string;
  score: number;
  title: string;
  status: View['status'];
  department?: string | null;
}

/**
 * The suggestions about the same matter (多件同一事项), for the office routing or merging it and the
 * department leading it: what GET /v1/suggestions/{id}/similar finds. Others are not asked (the API
 * would refuse them); an answer other than 200 leaves the section out rather than the page.
 */
async function similarTo(desk: Desk, id: string): Promise<SimilarItem[] | undefined> {
  if (desk.viewer.role !== 'office' && desk.viewer.role !== 'department') return undefined;
  const answer = await desk.api.call<{ items: SimilarItem[] }>('GET', `/v1/suggestions/${id}/similar`);
  return answer.status === 200 ? answer.body.items : undefined;
}

function similarSection(desk: Desk, w: W, items: SimilarItem[] | undefined, departments: Department[]): Html {
  if (items === undefined) return html``;
  const lang = desk.lang;
  return html`<section class="box" aria-labelledby="similar-h"><h2 id="similar-h">${w('类似建议', 'Similar suggestions')}</h2>
${
  items.length === 0
    ? html`<p>${w('没有找到同一事项的其他建议。', 'No other suggestion about the same matter was found.')}</p>`
    : html`<table id="similar"><thead><tr><th scope="col">${w('建议编号', 'Number')}</th><th scope="col">${w('标题', 'Title')}</th><th scope="col">${w('状态', 'Status')}</th><th scope="col">${w('主办部门', 'Lead department')}</th><th scope="col" class="num">${w('相似度', 'Likeness')}</th></tr></thead><tbody>
${items.map((s) => html`<tr data-id="${s.id}"><td><a href="${link(lang, `/staff/suggestions/${s.id}`)}">${s.id}</a></td><td>${s.title}</td><td>${say.status(lang, s.status)}</td><td>${departmentName(departments, s.department ?? undefined)}</td><td class="num">${Math.round(s.score * 100)}%</td></tr>`)}
</tbody></table>`
}</section>`;
}

function facts(desk: Desk, w: W, v: View, departments: Department[]): Html {
  const lang = desk.lang;
  const custodian = desk.viewer.role === 'office' || desk.viewer.role === 'admin';
  return html`<dl>
<dt>${w('状态', 'Status')}</dt><dd id="status">${say.status(lang, v.status)}</dd>
<dt>${w('办理时限', 'Due')}</dt><dd id="due">${when(v.dueAt)}${deadlineMarks(lang, v)}</dd>
<dt>${w('主办部门', 'Lead department')}</dt><dd>${departmentName(departments, v.leadDepartment)}</dd>
<dt>${w('会办部门', 'Co-handling')}</dt><dd>${v.coDepartments?.length ? v.coDepartments.map((c: string) => departmentName(departments, c)).join('、') : '—'}</dd>
<dt>${w('类别', 'Category')}</dt><dd>${say.category(lang, v.category, desk.profile)}</dd>
<dt>${w('所属区', 'District')}</dt><dd>${say.district(lang, v.district, desk.profile)}</dd>
<dt>${w('事项地点', 'Where')}</dt><dd id="place">${placeText(w, v.place, desk.profile)}</dd>
<dt>${w('渠道', 'Channel')}</dt><dd>${say.channel(lang, v.channel)}</dd>
<dt>${w('收到时间', 'Received')}</dt><dd>${when(v.receivedAt)}</dd>
${v.campaignId ? html`<dt>${w('征集活动', 'Campaign')}</dt><dd>${v.campaignId}</dd>` : ''}
<dt>${w('同意公开', 'Publication consent')}</dt><dd>${v.publishConsent ? w('是', 'Yes') : w('否', 'No')}</dd>
</dl>
${custodian ? html`<p><a href="${link(lang, `/staff/suggestions/${v.id}/proposer`)}">${w('查看建议人信息（将被记录）', 'See the proposer’s details (recorded)')}</a></p>` : ''}
<section class="box" aria-labelledby="content-h"><h2 id="content-h">${w('建议内容', 'The suggestion')}</h2><pre id="content">${v.content}</pre></section>
${filesSection(lang, w, v.id, [
  { title: w('建议人上传', 'From the proposer'), files: v.attachments },
  { title: w('决定的佐证材料', 'With the decision'), files: v.decision?.evidence },
  {
    title: w('进度报告的佐证材料', 'With the progress reports'),
    files: (v.feedback?.implementation?.milestones ?? []).flatMap((m: any) => (m.reports ?? []).flatMap((r: any) => r.evidence ?? [])),
  },
])}
${
  v.decision
    ? html`<section class="box" aria-labelledby="decision-h"><h2 id="decision-h">${w('决定', 'Decision')}</h2><dl>
<dt>${w('结果', 'Outcome')}</dt><dd id="outcome">${say.outcome(lang, v.decision.outcome)}</dd>
${v.decision.reason ? html`<dt>${w('理由', 'Reason')}</dt><dd>${v.decision.reason}</dd>` : ''}
<dt>${w('答复', 'Reply')}</dt><dd>${v.decision.reply}</dd>
<dt>${w('决定时间', 'Decided')}</dt><dd>${when(v.decision.decidedAt)} · ${departmentName(departments, v.decision.decidedBy)}</dd>
</dl></section>`
    : ''
}`;
}

function history(desk: Desk, w: W, v: View, departments: Department[]): Html {
  const lang = desk.lang;
  const handling = v.handling ?? {};
  const implementation = v.feedback?.implementation;
  const returns: any[] = handling.returns ?? [];
  const extensions: any[] = handling.extensions ?? [];
  const opinions: any[] = handling.opinions ?? [];
  return html`${
    returns.length
      ? html`<h2>${w('退回记录', 'Returns')}</h2><table><thead><tr><th scope="col">${w('时间', 'When')}</th><th scope="col">${w('部门', 'Department')}</th><th scope="col">${w('理由', 'Reason')}</th></tr></thead><tbody>
${returns.map((r) => html`<tr><td>${when(r.at)}</td><td>${departmentName(departments, r.department)}</td><td>${r.reason}</td></tr>`)}</tbody></table>`
      : ''
  }
${
  extensions.length
    ? html`<h2>${w('延期申请', 'Extensions')}</h2><table><thead><tr><th scope="col">${w('申请时间', 'Asked')}</th><th scope="col" class="num">${w('天数', 'Days')}</th><th scope="col">${w('理由', 'Reason')}</th><th scope="col">${w('结果', 'Outcome')}</th></tr></thead><tbody>
${extensions.map((e) => html`<tr><td>${when(e.requestedAt)}</td><td class="num">${e.days}</td><td>${e.reason}</td><td>${e.status === 'pending' ? w('待审批', 'Pending') : e.status === 'approved' ? w(`已批准，新时限 ${when(e.newDueAt)}`, `Approved, now due ${when(e.newDueAt)}`) : w('不予延期', 'Refused')}${e.decisionReason ? html`<br><span class="muted">${e.decisionReason}</span>` : ''}</td></tr>`)}</tbody></table>`
    : ''
}
${
  opinions.length
    ? html`<h2>${w('会办意见', 'Co-handling opinions')}</h2><table><thead><tr><th scope="col">${w('部门', 'Department')}</th><th scope="col">${w('时限', 'Due')}</th><th scope="col">${w('状态', 'Status')}</th><th scope="col">${w('意见', 'Opinion')}</th></tr></thead><tbody>
${opinions.map((o) => html`<tr><td>${departmentName(departments, o.department)}</td><td>${when(o.dueAt)}</td><td>${({ pending: w('待提出', 'Pending'), given: w('已提出', 'Given'), missing: w('超期未提出', 'Missing'), withdrawn: w('已撤回', 'Withdrawn') } as Record<string, string>)[o.status] ?? o.status}</td><td>${o.opinion ?? ''}</td></tr>`)}</tbody></table>`
    : ''
}
${
  implementation
    ? html`<h2>${w('落实转化', 'Implementation')}</h2>
<p>${implementation.summary}</p><p class="muted">${w('转化方式：', 'Used for: ')}${(implementation.usage ?? []).map((u: string) => say.usage(lang, u)).join('、')}</p>
<table><thead><tr><th scope="col">${w('步骤', 'Milestone')}</th><th scope="col">${w('负责部门', 'Owner')}</th><th scope="col">${w('计划完成', 'Due')}</th><th scope="col" class="num">${w('进度', 'Progress')}</th><th scope="col">${w('最近报告', 'Latest report')}</th></tr></thead><tbody>
${(implementation.milestones ?? []).map((m: any) => {
  const last = (m.reports ?? []).at(-1);
  return html`<tr><td>${m.id} ${m.title}</td><td>${departmentName(departments, m.ownerDepartment)}</td><td>${dayOf(m.dueAt)}${m.escalatedAt && !m.doneAt ? html` <span class="tag overdue">${w('已超期', 'Overdue')}</span>` : ''}</td><td class="num">${m.percent}%</td><td>${last ? html`${when(last.at)} ${last.note}${last.evidenceUrl ? html` <a href="${last.evidenceUrl}" rel="noopener noreferrer">${w('佐证材料', 'evidence')}</a>` : ''}` : '—'}</td></tr>`;
})}</tbody></table>
${implementation.followUp ? html`<p>${w('回头看：', 'Follow-up check: ')}${implementation.followUp.confirmedAt ? w(`已于 ${when(implementation.followUp.confirmedAt)} 答复`, `answered ${when(implementation.followUp.confirmedAt)}`) : w(`${dayOf(implementation.followUp.askedAt ?? implementation.followUp.dueAt)} 询问，${when(implementation.followUp.answerDueAt)} 前答复`, `asked ${dayOf(implementation.followUp.askedAt ?? implementation.followUp.dueAt)}, answer by ${when(implementation.followUp.answerDueAt)}`)}</p>` : ''}`
    : ''
}
<h2>${w('办理过程', 'Timeline')}</h2>
<table id="timeline"><thead><tr><th scope="col">${w('时间', 'When')}</th><th scope="col">${w('事项', 'What')}</th><th scope="col">${w('经办', 'By')}</th><th scope="col">${w('详情', 'Details')}</th></tr></thead><tbody>
${(v.timeline ?? []).map((e: any) => html`<tr><td>${when(e.at)}</td><td>${say.event(lang, e.type)}</td><td>${e.actor}</td><td class="muted">${detailText(e.detail)}</td></tr>`)}
</tbody></table>`;
}

function detailText(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  return Object.entries(detail)
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ');
}

function actions(desk: Desk, w: W, v: View, departments: Department[], forms: Forms, similar: SimilarItem[] = []): Html {
  const { role, departmentCode } = desk.viewer;
  const lead = role === 'department' && v.leadDepartment === departmentCode;
  const handling = v.status === 'handling' || v.status === 'rehandling';
  const parts: Html[] = [];
  if (lead && handling) {
    parts.push(decisionForm(desk, w, v, departments, forms.decision ?? emptyForm()));
    if (v.status === 'handling')
      parts.push(
        simpleForm(
          desk,
          w,
          v,
          'extension-request',
          w('申请延期', 'Ask for more time'),
          forms['extension-request'] ?? emptyForm(),
          (s) =>
            html`${input({ name: 'days', type: 'number', min: 1, max: 366, label: w('延期天数', 'Days'), state: s, required: true })}${textarea({ name: 'reason', label: w('理由', 'Reason'), state: s, required: true })}`,
          w('提交延期申请', 'Ask for the extension'),
        ),
      );
    if (v.status === 'handling')
      parts.push(
        simpleForm(
          desk,
          w,
          v,
          'return',
          w('退回（不属于本部门职责）', 'Return (not ours to handle)'),
          forms.return ?? emptyForm(),
          (s) => textarea({ name: 'reason', label: w('退回理由', 'Why it is not ours'), state: s, required: true }),
          w('退回征集办', 'Return to the office'),
        ),
      );
  }
  const ownOpinion = (v.handling?.opinions ?? []).find((o: any) => o.department === departmentCode && o.status === 'pending');
  if (role === 'department' && ownOpinion) {
    parts.push(
      simpleForm(
        desk,
        w,
        v,
        'opinion',
        w(`会办意见（${when(ownOpinion.dueAt)} 前）`, `Co-handling opinion (by ${when(ownOpinion.dueAt)})`),
        forms.opinion ?? emptyForm(),
        (s) => textarea({ name: 'opinion', label: w('意见', 'Opinion'), state: s, required: true, rows: 6 }),
        w('提交意见', 'Give the opinion'),
      ),
    );
  }
  const implementation = v.feedback?.implementation;
  if (role === 'department' && v.status === 'implementing' && implementation) {
    for (const m of implementation.milestones ?? []) {
      if (m.doneAt || !(lead || m.ownerDepartment === departmentCode)) continue;
      const key = `progress:${m.id}`;
      parts.push(
        simpleForm(
          desk,
          w,
          v,
          'progress',
          w(`报告进度：${m.id} ${m.title}`, `Report progress: ${m.id} ${m.title}`),
          forms[key] ?? emptyForm({ percent: String(m.percent) }),
          (s) =>
            html`${hidden('milestoneId', m.id)}${input({ name: 'percent', type: 'number', min: 0, max: 100, label: w('完成百分比（100 表示完成）', 'Percent done (100 = done)'), state: s, required: true })}${textarea({ name: 'note', label: w('进展说明', 'Note'), state: s, required: true })}${input({ name: 'evidenceUrl', type: 'url', label: w('佐证材料链接（选填）', 'Evidence link (optional)'), hint: w('以 https:// 开头', 'Starting with https://'), state: s })}${fileInput({ name: 'evidence', label: w('佐证照片或文件（选填）', 'Evidence photos or documents (optional)'), hint: w('JPEG、PNG 或 PDF，最多 5 个，每个不超过 10 MB', 'JPEG, PNG or PDF, up to 5, at most 10 MB each'), accept: attachmentTypes.join(','), multiple: true, state: s })}`,
          w('提交进度', 'Report progress'),
          `progress-${m.id}`,
          true,
        ),
      );
    }
  }
  const followUp = implementation?.followUp;
  if (lead && v.status === 'implemented' && followUp?.askedAt && !followUp.confirmedAt) {
    parts.push(
      simpleForm(
        desk,
        w,
        v,
        'follow-up',
        w('回头看：落实的措施是否仍在执行？', 'Follow-up: is the change still in place?'),
        forms['follow-up'] ?? emptyForm(),
        (s) =>
          html`${choices({
            name: 'stillInPlace',
            label: w('措施是否仍在执行', 'Still in place'),
            options: [
              ['yes', w('是', 'Yes')],
              ['no', w('否', 'No')],
            ],
            state: s,
            required: true,
          })}${textarea({ name: 'note', label: w('说明', 'Note'), state: s, required: true })}`,
        w('提交答复', 'Answer'),
      ),
    );
  }
  if (role === 'office' && ['triage', 'received', 'handling', 'rehandling'].includes(v.status) && !v.decision) {
    parts.push(
      simpleForm(
        desk,
        w,
        v,
        'assignment',
        v.status === 'triage' ? w('交办', 'Assign') : w('改派', 'Reassign'),
        forms.assignment ?? emptyForm({ leadDepartment: v.leadDepartment ?? '', coDepartments: v.coDepartments ?? [] }),
        (s) =>
          html`${select({ name: 'leadDepartment', label: w('主办部门', 'Lead department'), options: departmentOptions(departments), blank: w('请选择', 'Choose'), state: s, required: true })}${select({ name: 'coDepartments', label: w('会办部门（可多选）', 'Co-handling departments (any number)'), options: departmentOptions(departments), multiple: true, hint: w('按住 Ctrl 或 Shift 选择多个', 'Hold Ctrl or Shift to choose several'), state: s })}${textarea({ name: 'reason', label: w('交办说明', 'Why this department'), state: s, required: true })}`,
        v.status === 'triage' ? w('交办', 'Assign') : w('改派', 'Reassign'),
      ),
    );
    if (v.status === 'triage') {
      parts.push(
        simpleForm(
          desk,
          w,
          v,
          'out-of-scope',
          w('不属于建议范围', 'Not a suggestion'),
          forms['out-of-scope'] ?? emptyForm(),
          (s) =>
            html`${select({ name: 'kind', label: w('类型', 'Kind'), options: outOfScopeKinds.map((k) => [k, ({ personal_claim: w('个人诉求', 'Personal claim'), litigation: w('诉讼', 'Litigation'), arbitration: w('仲裁', 'Arbitration'), administrative_review: w('行政复议', 'Administrative review') } as Record<string, string>)[k]]), blank: w('请选择', 'Choose'), state: s, required: true })}${textarea({ name: 'reason', label: w('理由', 'Reason'), state: s, required: true })}${input({ name: 'referral', label: w('告知建议人的途径', 'Where the proposer should turn'), state: s, required: true })}`,
          w('办结并告知', 'Close and tell the proposer'),
        ),
      );
    }
    // 合并办理: into one of the similar suggestions found above, or any other by its number.
    parts.push(mergeForm(desk, w, v, similar, forms.merge ?? emptyForm()));
    if (!v.handling?.urgent)
      parts.push(
        simpleForm(
          desk,
          w,
          v,
          'urgent',
          w('紧急办理', 'Emergency fast path'),
          forms.urgent ?? emptyForm(),
          (s) => textarea({ name: 'reason', label: w('理由', 'Reason'), state: s, required: true }),
          w('转为紧急办理', 'Put on the fast path'),
        ),
      );
  }
  if (role === 'office' && v.status === 'merged') {
    parts.push(
      simpleForm(
        desk,
        w,
        v,
        'unmerge',
        w(`恢复单独办理（已合并到 ${v.mergedInto?.into ?? ''}）`, `Handle it on its own again (merged into ${v.mergedInto?.into ?? ''})`),
        forms.unmerge ?? emptyForm(),
        (s) => textarea({ name: 'unmergeReason', label: w('恢复单独办理的理由', 'Why it is handled on its own'), state: s, required: true }),
        w('恢复单独办理', 'Handle on its own'),
      ),
    );
  }
  const pending = (v.handling?.extensions ?? []).find((e: any) => e.status === 'pending');
  if (role === 'supervisor' && pending) {
    parts.push(
      simpleForm(
        desk,
        w,
        v,
        'extension-decision',
        w(`延期审批：申请延长 ${pending.days} 天`, `Extension: ${pending.days} more days asked`),
        forms['extension-decision'] ?? emptyForm(),
        (s) =>
          html`<p>${w('申请理由：', 'Reason given: ')}${pending.reason}</p>${choices({
            name: 'approve',
            label: w('审批结果', 'Decision'),
            options: [
              ['yes', w('批准', 'Approve')],
              ['no', w('不批准', 'Refuse')],
            ],
            state: s,
            required: true,
          })}${textarea({ name: 'reason', label: w('审批意见（将告知建议人）', 'Reason (the proposer is told)'), state: s, required: true })}`,
        w('提交审批', 'Decide'),
      ),
    );
  }
  return parts.length ? html`<h2>${w('办理', 'Act on it')}</h2>${parts}` : html``;
}

/** Its own field names: a page's forms share element ids by field name, and the assignment and urgent forms have a reason too. */
function mergeForm(desk: Desk, w: W, v: View, similar: SimilarItem[], state: FormState): Html {
  const candidates = similar.filter((s) => s.status !== 'merged' && s.status !== 'closed');
  return simpleForm(
    desk,
    w,
    v,
    'merge',
    w('合并办理', 'Merge into another suggestion on the same matter'),
    state,
    (
      s,
    ) => html`${input({ name: 'into', label: w('并入的建议编号', 'Tracking number of the suggestion that answers for the matter'), hint: candidates.length ? w(`类似建议：${candidates.map((c) => c.id).join('、')}`, `Similar: ${candidates.map((c) => c.id).join(', ')}`) : undefined, state: s, required: true })}
${textarea({ name: 'mergeReason', label: w('合并理由（记入两件建议的办理过程）', 'Why they are one matter (on both timelines)'), state: s, required: true })}`,
    w('合并', 'Merge'),
  );
}

function simpleForm(
  desk: Desk,
  w: W,
  v: View,
  action: string,
  title: string,
  state: FormState,
  fields: (s: FormState) => Html,
  button: string,
  id = action,
  multipart = false,
): Html {
  const headingId = `${id}-h`;
  return html`<section class="box" aria-labelledby="${headingId}"><h3 id="${headingId}">${title}</h3>
${formStart(desk.lang, `/staff/suggestions/${v.id}/${action}`, desk.viewer.csrf, `form-${id}`, multipart)}
${errorSummary(w, state)}
${fields(state)}
<button type="submit">${button}</button>
</form></section>`;
}

function decisionForm(desk: Desk, w: W, v: View, departments: Department[], state: FormState): Html {
  const lang = desk.lang;
  const planError = state.errors.plan;
  return simpleForm(
    desk,
    w,
    v,
    'decision',
    w('作出决定并答复建议人', 'Decide and reply to the proposer'),
    state,
    (s) => html`${choices({ name: 'outcome', label: w('办理结果', 'Outcome'), options: options(outcomeWords, lang, outcomes), state: s, required: true })}
${textarea({ name: 'reason', label: w('理由（留作参考、不予采纳时必填）', 'Reason (needed for “for reference” and “not adopted”)'), state: s })}
${textarea({ name: 'reply', label: w('给建议人的答复', 'Reply to the proposer'), state: s, required: true, rows: 5 })}
<fieldset id="f-plan"${planError ? html` aria-describedby="f-plan-error"` : ''}><legend>${w('落实计划（采纳、部分采纳时必填）', 'Implementation plan (needed when adopted in full or in part)')}</legend>
${planError ? html`<p class="error" id="f-plan-error">${planError}</p>` : ''}
${choices({ name: 'plan.usage', label: w('转化方式', 'How the idea is used'), options: options(usageWords, lang, adoptionUsages), multiple: true, state: s })}
${textarea({ name: 'plan.summary', label: w('公开摘要（至少 10 字）', 'Public summary (at least 10 characters)'), state: s })}
${Array.from(
  { length: milestoneRows },
  (_, i) => html`<fieldset class="row"><legend>${w(`落实步骤 ${i + 1}`, `Milestone ${i + 1}`)}${i > 0 ? w('（选填）', ' (optional)') : ''}</legend>
<div>${input({ name: `plan.milestones.${i}.title`, label: w('内容', 'What'), state: s })}</div>
<div>${select({ name: `plan.milestones.${i}.ownerDepartment`, label: w('负责部门', 'Owner department'), options: departmentOptions(departments), blank: w('请选择', 'Choose'), state: { ...s, values: { ...s.values, [`plan.milestones.${i}.ownerDepartment`]: s.values[`plan.milestones.${i}.ownerDepartment`] ?? desk.viewer.departmentCode } } })}</div>
<div>${input({ name: `plan.milestones.${i}.dueInWorkingDays`, type: 'number', min: 1, label: w('期限（工作日）', 'Due in working days'), state: s })}</div>
</fieldset>`,
)}
</fieldset>`,
    w('提交决定', 'Record the decision'),
  );
}

function proposerBody(desk: Desk, w: W, id: string, p: any, state: FormState): Html {
  const lang = desk.lang;
  return html`<p class="muted">${w('建议人信息严格保密，仅用于联系建议人。本次查看已记录。', 'The proposer’s details are confidential and used only to reach them. This look-up is recorded.')}</p>
${
  p.erasedAt
    ? html`<p class="notice">${w(`已于 ${when(p.erasedAt)} 应建议人要求删除。`, `Erased at the proposer’s request on ${when(p.erasedAt)}.`)}</p>`
    : html`<dl>
<dt>${w('姓名', 'Name')}</dt><dd id="proposer-name">${p.name ?? '—'}</dd>
<dt>${w('电话', 'Phone')}</dt><dd>${p.phone ?? '—'}</dd>
<dt>${w('电子邮箱', 'E-mail')}</dt><dd>${p.email ?? '—'}</dd>
<dt>${w('答复方式', 'Reply by')}</dt><dd>${p.replyChannel}</dd>
</dl>
<section class="box" aria-labelledby="erase-h"><h2 id="erase-h">${w('应建议人要求删除个人信息', 'Erase the personal details at the proposer’s request')}</h2>
<p>${w('删除后，建议人的姓名和联系方式在任何地方都无法再打开（包括 Temporal 历史）；建议本身、办理记录和公开内容保留。此操作不可撤销。', 'Once erased, the name and contact details can be opened nowhere (Temporal’s history included); the suggestion, its record and what was published stay. This cannot be undone.')}</p>
${formStart(lang, `/staff/suggestions/${id}/proposer-erasure`, desk.viewer.csrf, 'form-erase')}
${errorSummary(w, state)}
${input({ name: 'confirm', label: w(`请输入建议编号 ${id} 以确认`, `Type the tracking number ${id} to confirm`), state })}
<button type="submit" class="danger">${w('删除个人信息', 'Erase the personal details')}</button>
</form></section>`
}
<p><a href="${link(lang, `/staff/suggestions/${id}`)}">${w('返回建议', 'Back to the suggestion')}</a></p>`;
}

/** Erasure, confirmed by typing the tracking number. */
function erasureRoute(router: Router): void {
  router.post('/staff/suggestions/:id/proposer-erasure', async (req, res) => {
    const desk = deskOf(res);
    const id = String(req.params.id);
    const w = words(desk.lang);
    const values = req.body as Values;
    if (field(values, 'confirm')?.toUpperCase() !== id) {
      const proposer = await desk.api.get(`/v1/suggestions/${id}/proposer`);
      return sendDeskPage(
        res,
        desk,
        {
          title: w(`建议人信息：${id}`, `Proposer of ${id}`),
          path: `/staff/suggestions/${id}/proposer`,
          body: proposerBody(desk, w, id, proposer, {
            values,
            errors: { confirm: w('输入的编号与本建议不符，未删除。', 'The number typed is not this suggestion’s: nothing was erased.') },
          }),
        },
        422,
      );
    }
    const answer = await desk.api.call('DELETE', `/v1/suggestions/${id}/proposer`);
    if (answer.status >= 300) {
      const proposer = await desk.api.get(`/v1/suggestions/${id}/proposer`);
      return sendDeskPage(
        res,
        desk,
        {
          title: w(`建议人信息：${id}`, `Proposer of ${id}`),
          path: `/staff/suggestions/${id}/proposer`,
          body: proposerBody(desk, w, id, proposer, refused(values, answer.body as never)),
        },
        answer.status,
      );
    }
    res.redirect(303, link(desk.lang, `/staff/suggestions/${id}/proposer`));
  });
}
