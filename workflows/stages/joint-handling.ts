import { CancellationScope, executeChild, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { OpinionRecord } from '../../domain/handling';
import { deadlineFrom } from '../activities';
import { coHandlingWorkflow } from '../co-handling-workflow';
import type { CoHandlingOutcome } from '../handling-messages';
import { publish } from '../publish';
import type { SuggestionRecord } from '../suggestion-record';

// 会办: each co-handling department gives its opinion in a child workflow with its own deadline
// (never later than the lead's). The lead decides once every opinion is in or its deadline passed;
// a missing opinion is recorded as such and escalated.

/** The id of a co-handling child: per department and per assignment, so a reassignment starts afresh. */
export function coHandlingWorkflowId(suggestion: SuggestionRecord, department: string): string {
  return `${workflowInfo().workflowId}/co-handling/${suggestion.handling.assignments}/${department}`;
}

export async function startJointHandling(suggestion: SuggestionRecord, departments: string[]): Promise<void> {
  const h = suggestion.handling;
  const assignment = h.assignments;
  const opinionDue = await deadlineFrom({ from: new Date().toISOString(), limit: h.limits!.coOpinion });
  // Reassigned while the deadline was being computed: the newer assignment starts its own.
  if (h.assignments !== assignment) return;
  const dueAt = new Date(Math.min(Date.parse(opinionDue), Date.parse(h.responseDueAt!))).toISOString();
  const scope = new CancellationScope();
  h.jointScope = scope;
  for (const department of departments) {
    const record: OpinionRecord = { department, workflowId: coHandlingWorkflowId(suggestion, department), dueAt, status: 'pending' };
    h.opinions.push(record);
    h.inFlight += 1;
    scope
      .run(() =>
        executeChild(coHandlingWorkflow, {
          workflowId: record.workflowId,
          args: [{ trackingNumber: suggestion.intake.trackingNumber, title: suggestion.intake.title, department, leadDepartment: suggestion.leadDepartment!, dueAt }],
        }),
      )
      .then(
        (outcome) => recordOpinion(suggestion, record, outcome),
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      )
      .finally(() => {
        h.inFlight -= 1;
      });
  }
  suggestion.record('joint_handling_started', 'system', { departments, dueAt });
  await publish(
    suggestion,
    departments.map((department) => ({
      key: `opinion-request-${suggestion.version}-${department}`,
      recipient: `department:${department}`,
      channel: 'online',
      subject: `Opinion requested: ${suggestion.intake.trackingNumber}`,
      body: `${suggestion.leadDepartment} leads "${suggestion.intake.title}"; give your opinion by ${dueAt}.`,
    })),
  );
}

/** A reassignment, return or closure withdraws the opinions still outstanding. */
export function cancelJointHandling(suggestion: SuggestionRecord): void {
  const h = suggestion.handling;
  for (const o of h.pendingOpinions()) o.status = 'withdrawn';
  h.jointScope?.cancel();
  h.jointScope = undefined;
}

async function recordOpinion(suggestion: SuggestionRecord, record: OpinionRecord, outcome: CoHandlingOutcome): Promise<void> {
  if (record.status !== 'pending') return;
  if (outcome.status === 'given') {
    Object.assign(record, { status: 'given', opinion: outcome.opinion, givenBy: outcome.givenBy, at: outcome.at });
    suggestion.record('opinion_given', outcome.givenBy ?? record.department, { department: record.department });
    await publish(suggestion, [
      {
        key: `opinion-${suggestion.version}`,
        recipient: `department:${suggestion.leadDepartment}`,
        channel: 'online',
        subject: `Opinion of ${record.department} on ${suggestion.intake.trackingNumber}`,
        body: outcome.opinion ?? '',
      },
    ]);
    return;
  }
  record.status = 'missing';
  suggestion.record('opinion_missing', 'system', { department: record.department, dueAt: record.dueAt });
  await publish(
    suggestion,
    ['supervisors', `department:${suggestion.leadDepartment}`].map((recipient) => ({
      key: `opinion-missing-${suggestion.version}-${recipient}`,
      recipient,
      channel: 'online',
      subject: `Missing opinion: ${record.department} on ${suggestion.intake.trackingNumber}`,
      body: `${record.department} gave no opinion on "${suggestion.intake.title}" by ${record.dueAt}; the lead department decides without it.`,
    })),
  );
}
