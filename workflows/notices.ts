import type { CampaignFeedback } from '../domain/feedback';
import type { ExtensionRecord, OutOfScopeRecord } from '../domain/handling';
import type { FeedbackTerms } from '../domain/feedback-terms';
import type { MilestoneView } from '../domain/implementation';
import type { RatingRecord } from '../domain/satisfaction';
import type { OutgoingMessage } from '../notifications/outbox';
import type { Suggestion } from './suggestion';

// Every notice of the suggestion chain, in the order of the chain: to the proposer by the channel
// they chose, to departments, the office and supervisors on their online desks. A notice's key
// makes it unique within its suggestion, so a retried recording queues it once.

const online = (key: string, recipient: string, subject: string, body: string): OutgoingMessage => ({ key, recipient, channel: 'online', subject, body });
const toDepartment = (code: string | undefined) => `department:${code}`;

/** A message to the proposer, by the channel they chose. */
function toProposer(s: Suggestion, key: string, subject: string, body: string): OutgoingMessage {
  return { key, recipient: 'proposer', channel: s.intake.proposer.replyChannel, subject, body };
}

const outcomeWords = {
  adopted: 'adopted (采纳)',
  partially_adopted: 'partially adopted (部分采纳)',
  for_reference: 'kept for reference (留作参考)',
  not_adopted: 'not adopted (不予采纳)',
} as const;

export const notices = {
  /** 登记: the tracking number. */
  acknowledgement: (s: Suggestion) =>
    toProposer(
      s,
      'acknowledgement',
      `Suggestion received: ${s.intake.trackingNumber}`,
      `Your suggestion "${s.intake.title}" is registered under tracking number ${s.intake.trackingNumber}.`,
    ),

  /** No rule routes it: the office routes it by hand (甄别). */
  toRoute: (s: Suggestion, reason: string) =>
    online(
      `triage-${s.version}`,
      'office',
      `To route: ${s.intake.trackingNumber}`,
      `"${s.intake.title}" needs routing by hand (${reason}); route it by ${s.handling.triageDueAt}.`,
    ),

  /** 交办: the lead department gets it. */
  assigned: (s: Suggestion) =>
    online(
      `assigned-${s.version}`,
      toDepartment(s.leadDepartment),
      `New suggestion ${s.intake.trackingNumber}`,
      `"${s.intake.title}" is assigned to you; reply by ${s.dueAtIso}.`,
    ),

  /** 会办: each co-handling department is asked for its opinion. */
  opinionRequested: (s: Suggestion, department: string, dueAt: string) =>
    online(
      `opinion-request-${s.version}-${department}`,
      toDepartment(department),
      `Opinion requested: ${s.intake.trackingNumber}`,
      `${s.leadDepartment} leads "${s.intake.title}"; give your opinion by ${dueAt}.`,
    ),

  opinionGiven: (s: Suggestion, department: string, opinion: string) =>
    online(`opinion-${s.version}`, toDepartment(s.leadDepartment), `Opinion of ${department} on ${s.intake.trackingNumber}`, opinion),

  opinionMissing: (s: Suggestion, department: string, dueAt: string) =>
    ['supervisors', toDepartment(s.leadDepartment)].map((recipient) =>
      online(
        `opinion-missing-${s.version}-${recipient}`,
        recipient,
        `Missing opinion: ${department} on ${s.intake.trackingNumber}`,
        `${department} gave no opinion on "${s.intake.title}" by ${dueAt}; the lead department decides without it.`,
      ),
    ),

  /** 催办: working days left before the deadline. */
  reminder: (s: Suggestion, key: string, workingDaysLeft: number) =>
    online(
      `reminder-${key}`,
      toDepartment(s.leadDepartment),
      `Reminder: ${s.intake.trackingNumber} is due in ${workingDaysLeft} working day(s)`,
      `"${s.intake.title}" is due ${s.dueAtIso}.`,
    ),

  /** 督办: past the deadline, to the supervisors. */
  overdue: (s: Suggestion, dueAt: string) => {
    const late = s.status === 'triage' ? 'the collection office has not routed' : `${s.leadDepartment} has not decided on`;
    return online(`overdue-${s.version}`, 'supervisors', `Overdue: ${s.intake.trackingNumber}`, `${late} "${s.intake.title}", due ${dueAt}.`);
  },

  /** 退回: the office hears why. */
  returned: (s: Suggestion, department: string, reason: string) =>
    online(
      `returned-${s.version}`,
      'office',
      `Returned: ${s.intake.trackingNumber}`,
      `${department} returned "${s.intake.title}": ${reason}${s.handling.officeOnly ? '\nOnly the office can assign it now.' : ''}`,
    ),

  /** 延期. */
  extensionRequested: (s: Suggestion, e: ExtensionRecord) =>
    online(
      `extension-request-${e.id}`,
      'supervisors',
      `Extension requested: ${s.intake.trackingNumber}`,
      `${s.leadDepartment} asks for ${e.days} more ${e.unit.replace('_', ' ')} on "${s.intake.title}": ${e.reason}`,
    ),

  extensionRefused: (s: Suggestion, e: ExtensionRecord) =>
    online(
      `extension-refused-${e.id}`,
      toDepartment(s.leadDepartment),
      `Extension refused: ${s.intake.trackingNumber}`,
      `The deadline stays ${s.dueAtIso}: ${e.decisionReason}`,
    ),

  extensionApproved: (s: Suggestion, e: ExtensionRecord) => [
    online(`extension-approved-${e.id}`, toDepartment(s.leadDepartment), `Extension approved: ${s.intake.trackingNumber}`, `Reply by ${e.newDueAt}.`),
    toProposer(
      s,
      `extension-${e.id}`,
      `More time for your suggestion ${s.intake.trackingNumber}`,
      `The answer on "${s.intake.title}" will come by ${e.newDueAt} instead of ${e.previousDueAt}: ${e.decisionReason}`,
    ),
  ],

  /** The emergency fast path (Art 14). */
  urgent: (s: Suggestion, reason: string) =>
    online(
      `urgent-${s.version}`,
      toDepartment(s.leadDepartment),
      `Urgent: ${s.intake.trackingNumber}`,
      `"${s.intake.title}" is on the emergency fast path (${reason}); reply by ${s.dueAtIso}.`,
    ),

  /** Not a suggestion (Art 10): where to turn. */
  outOfScope: (s: Suggestion, o: OutOfScopeRecord) =>
    toProposer(
      s,
      'out-of-scope',
      `About your submission ${s.intake.trackingNumber}`,
      `"${s.intake.title}" is not handled as a people's suggestion: ${o.reason}\nWhere to turn: ${o.referral}`,
    ),

  /** 答复: the outcome and why, and the invitation to rate it (回访). */
  reply: (s: Suggestion, round: number, terms: FeedbackTerms, campaign?: CampaignFeedback) => {
    const decision = s.decision!;
    return toProposer(
      s,
      `reply-${round}`,
      `Reply to your suggestion ${s.intake.trackingNumber}`,
      [
        `Outcome: ${outcomeWords[decision.outcome]}.`,
        decision.reason ? `Reason: ${decision.reason}` : '',
        decision.reply,
        decision.plan ? `What changes: ${decision.plan.summary}` : '',
        campaign ? `The campaign's results: ${campaign.summary}${campaign.url ? ` (${campaign.url})` : ''}` : '',
        `Please tell us whether you are satisfied, with your tracking number and token, within ${terms.rating.amount} ${terms.rating.unit.replace('_', ' ')}.`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  },

  /** 满意度: the department hears the rating. */
  rated: (s: Suggestion, rating: RatingRecord) =>
    online(
      `rated-${rating.round}`,
      toDepartment(s.leadDepartment),
      `Rating of ${s.intake.trackingNumber}: ${rating.rating}`,
      `The proposer rated the reply on "${s.intake.title}" ${rating.rating}${rating.comment ? `: ${rating.comment}` : '.'}`,
    ),

  /** 重新办理. */
  rehandling: (s: Suggestion, rating: { comment?: string }, dueAt: string) => {
    const body = `The proposer of "${s.intake.title}" is dissatisfied${rating.comment ? `: ${rating.comment}` : ''}. A new answer is due ${dueAt}.`;
    return [
      online('rehandling-department', toDepartment(s.leadDepartment), `Re-handling: ${s.intake.trackingNumber}`, body),
      online('rehandling-supervisors', 'supervisors', `Re-handling: ${s.intake.trackingNumber}`, body),
    ];
  },

  rehandlingOverdue: (s: Suggestion, department: string, dueAt: string) =>
    online(
      'rehandling-overdue',
      'supervisors',
      `Overdue: ${s.intake.trackingNumber}`,
      `${department} has not answered the re-handling of "${s.intake.title}", due ${dueAt}.`,
    ),

  /** 落实转化: each owner department's milestones. */
  milestones: (s: Suggestion, milestones: MilestoneView[], why: 'planned' | 'revised') =>
    [...new Set(milestones.map((m) => m.ownerDepartment))].map((owner) =>
      online(
        `milestones-${why}-${s.version}-${owner}`,
        toDepartment(owner),
        `Implementation ${why}: ${s.intake.trackingNumber}`,
        milestones
          .filter((m) => m.ownerDepartment === owner)
          .map((m) => `${m.id} "${m.title}" due ${m.dueAt}`)
          .join('\n'),
      ),
    ),

  milestoneLate: (s: Suggestion, m: MilestoneView) =>
    online(
      `milestone-reminded-${s.version}`,
      toDepartment(m.ownerDepartment),
      `Milestone late: ${s.intake.trackingNumber}`,
      `"${m.title}" was due ${m.dueAt} and is ${m.percent}% done; supervisors are told after ${m.escalatesAt}.`,
    ),

  milestoneOverdue: (s: Suggestion, m: MilestoneView) =>
    online(
      `milestone-escalated-${s.version}`,
      'supervisors',
      `Implementation overdue: ${s.intake.trackingNumber}`,
      `${m.ownerDepartment} has not finished "${m.title}" of "${s.intake.title}", due ${m.dueAt} (${m.percent}% done).`,
    ),

  implemented: (s: Suggestion, summary: string) =>
    toProposer(s, 'implemented', `Your suggestion ${s.intake.trackingNumber} is implemented`, `What changed: ${summary}`),

  /** 回头看: queued now, sent on its day. */
  followUpRequested: (s: Suggestion, askedAt: string, answerDueAt: string) => ({
    ...online(
      'follow-up-requested',
      toDepartment(s.leadDepartment),
      `Follow-up check: ${s.intake.trackingNumber}`,
      `Is the change from "${s.intake.title}" still in place? Answer by ${answerDueAt}.`,
    ),
    sendAfter: askedAt,
  }),

  followUpOverdue: (s: Suggestion, answerDueAt: string) =>
    online(
      'follow-up-escalated',
      'supervisors',
      `Follow-up unanswered: ${s.intake.trackingNumber}`,
      `${s.leadDepartment} has not confirmed that the change from "${s.intake.title}" is still in place (due ${answerDueAt}).`,
    ),

  followUpLapsed: (s: Suggestion, by: string, note: string) =>
    online(
      'follow-up-lapsed',
      'supervisors',
      `Change no longer in place: ${s.intake.trackingNumber}`,
      `${by} reports that the change from "${s.intake.title}" is no longer in place: ${note}`,
    ),

  /** 合并办理: the proposer is told their suggestion is answered with others on the same matter. */
  merged: (s: Suggestion, into: string) =>
    toProposer(
      s,
      `merged-${s.version}`,
      `Your suggestion ${s.intake.trackingNumber} is handled with others on the same matter`,
      `"${s.intake.title}" raises the same matter as suggestion ${into} and others; they are handled together, and you will be answered and asked for your rating as before.`,
    ),

  /** The State Council's schedule moved a deadline the suggestion had counted on the forecast. */
  deadlineCorrected: (s: Suggestion, recipient: string, moved: { name: string; from: string; to: string }[], year: number) =>
    online(
      `deadline-corrected-${s.version}-${recipient}`,
      recipient,
      `Deadline corrected: ${s.intake.trackingNumber}`,
      `The official holiday schedule of ${year} moves ${moved.map((m) => `the ${m.name} deadline from ${m.from} to ${m.to}`).join('; ')}.`,
    ),

  escalationWithdrawn: (s: Suggestion, what: string, dueAt: string, year: number) =>
    online(
      `escalation-withdrawn-${s.version}`,
      'supervisors',
      `No longer overdue: ${s.intake.trackingNumber}`,
      `The official holiday schedule of ${year} moves the ${what} deadline of "${s.intake.title}" to ${dueAt}: it is not overdue yet.`,
    ),
};
