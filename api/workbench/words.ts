import type { Words } from '../../domain/vocabulary-labels';
import type { CityProfile } from '../../domain/profile';
import { channelWords, outcomeWords, ratingWords, statusWords, usageWords } from '../../domain/vocabulary-labels';
import { html, type Html, type Lang } from './frame';

// The vocabulary and the timeline's events in the reader's language, and the marks a deadline
// carries in lists and on a suggestion (overdue, due soon, provisional).

const pick = <K extends string>(table: Words<K>, lang: Lang, key: string | null | undefined): string => {
  if (!key) return '—';
  const pair = (table as Record<string, readonly [string, string]>)[key];
  return pair ? pair[lang === 'zh' ? 0 : 1] : key;
};

const eventWords: Words<string> = {
  registered: ['登记', 'Registered'],
  assigned: ['交办', 'Assigned'],
  reassigned: ['改派', 'Reassigned'],
  sent_to_triage: ['转甄别', 'Sent to triage'],
  automatic_routing_stopped: ['停止自动分办', 'Automatic routing stopped'],
  returned: ['退回', 'Returned'],
  marked_urgent: ['紧急办理', 'Marked urgent'],
  closed_out_of_scope: ['不属于建议范围，办结', 'Closed as out of scope'],
  joint_handling_started: ['会办开始', 'Co-handling started'],
  opinion_given: ['会办意见', 'Opinion given'],
  opinion_missing: ['会办意见超期', 'Opinion missing'],
  reminded: ['催办', 'Reminded'],
  escalated_overdue: ['超期督办', 'Escalated: overdue'],
  escalation_withdrawn: ['撤销督办', 'Escalation withdrawn'],
  deadline_corrected: ['时限按正式日历修正', 'Deadline corrected'],
  extension_requested: ['申请延期', 'Extension requested'],
  extension_approved: ['批准延期', 'Extension approved'],
  extension_refused: ['不予延期', 'Extension refused'],
  decided: ['作出决定', 'Decided'],
  decided_again: ['重新决定', 'Decided again'],
  replied: ['答复建议人', 'Replied'],
  implementation_started: ['开始落实', 'Implementation started'],
  plan_revised: ['调整落实计划', 'Plan revised'],
  milestone_progress: ['报告落实进度', 'Progress reported'],
  milestone_done: ['完成落实步骤', 'Milestone done'],
  milestone_reminded: ['落实步骤催办', 'Milestone reminded'],
  milestone_escalated: ['落实步骤超期', 'Milestone escalated'],
  implemented: ['落实完成', 'Implemented'],
  implementation_stopped: ['停止落实', 'Implementation stopped'],
  follow_up_scheduled: ['安排回头看', 'Follow-up scheduled'],
  follow_up_answered: ['回头看已答复', 'Follow-up answered'],
  follow_up_escalated: ['回头看超期', 'Follow-up escalated'],
  rated: ['建议人评价', 'Rated'],
  not_rated: ['评价期结束未评价', 'Not rated'],
  rehandling_opened: ['重新办理', 'Re-handling opened'],
  campaign_feedback: ['征集结果反馈', 'Campaign feedback'],
  closed: ['办结', 'Closed'],
};

export const say = {
  status: (lang: Lang, v: string | null | undefined) => pick(statusWords, lang, v),
  /** A category or district as the city's profile names it (the code for one it does not know). */
  category: (lang: Lang, v: string | null | undefined, profile: CityProfile) => (v ? profile.label('category', v, lang) : '—'),
  district: (lang: Lang, v: string | null | undefined, profile: CityProfile) => (v ? profile.label('district', v, lang) : '—'),
  channel: (lang: Lang, v: string | null | undefined) => pick(channelWords, lang, v),
  outcome: (lang: Lang, v: string | null | undefined) => pick(outcomeWords, lang, v),
  usage: (lang: Lang, v: string | null | undefined) => pick(usageWords, lang, v),
  rating: (lang: Lang, v: string | null | undefined) => pick(ratingWords, lang, v),
  event: (lang: Lang, v: string | null | undefined) => pick(eventWords, lang, v),
};

export const options = <K extends string>(table: Words<K>, lang: Lang, keys: readonly K[]): [string, string][] => keys.map((k) => [k, pick(table, lang, k)]);

/**
 * The profile's categories or districts to choose from, named in the reader's language (the
 * districts with "city", the whole city): retired ones left out of a form that makes something
 * new, kept in a filter over what exists.
 */
export const profileOptions = (profile: CityProfile, kind: 'category' | 'district', lang: Lang, { forNew = true } = {}): [string, string][] =>
  profile.codes(kind, forNew).map((code) => [code, profile.label(kind, code, lang)]);

/** Due within this long counts as soon. */
const soonMs = 3 * 86_400_000;

/** The marks of a deadline: overdue (past its limit now), due within three days, provisional (counted on a forecast calendar). */
export function deadlineMarks(lang: Lang, item: { dueAt?: string | null; overdue?: boolean; dueAtProvisional?: boolean }, now = new Date()): Html {
  const zh = lang === 'zh';
  const due = item.dueAt ? new Date(item.dueAt).getTime() : undefined;
  const soon = !item.overdue && due !== undefined && due > now.getTime() && due - now.getTime() <= soonMs;
  return html`${item.overdue ? html` <span class="tag overdue">${zh ? '已超期' : 'Overdue'}</span>` : ''}${soon ? html` <span class="tag soon">${zh ? '即将到期' : 'Due soon'}</span>` : ''}${item.dueAtProvisional ? html` <span class="tag provisional" title="${zh ? '按预测的节假日安排计算，国务院公布当年安排后可能调整' : 'Counted on a forecast holiday schedule; the published one may move it'}">${zh ? '暂定时限' : 'Provisional'}</span>` : ''}`;
}

export interface Department {
  code: string;
  name: string;
  district: string | null;
}

export function departmentName(departments: Department[], code: string | null | undefined): string {
  if (!code) return '—';
  return departments.find((d) => d.code === code)?.name ?? code;
}

export const departmentOptions = (departments: Department[]): [string, string][] => departments.map((d) => [d.code, `${d.name} (${d.code})`]);
