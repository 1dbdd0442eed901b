import { CancellationScope, executeChild, getExternalWorkflowHandle, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { OpinionRecord } from '../../domain/handling';
import { coHandlingWorkflow } from '../co-handling-workflow';
import { opinionDueCorrectedSignal, type CoHandlingOutcome } from '../handling-messages';
import { issuedTo } from '../issued-for';
import { notices } from '../notices';
import type { Suggestion } from '../suggestion';

// 会办: each co-handling department gives its opinion in a child workflow with its own deadline
// (never later than the lead's). The lead decides once every opinion is in or its deadline passed;
// a missing opinion is recorded as such and escalated.

/** The id of a co-handling child: per department and per assignment, so a reassignment starts afresh. */
export function coHandlingWorkflowId(suggestion: Suggestion, department: string): string {
  return `${workflowInfo().workflowId}/co-handling/${suggestion.handling.assignments}/${department}`;
}

export function startJointHandling(suggestion: Suggestion, departments: string[]): void {
  const h = suggestion.handling;
  const dueAt = opinionDue(
    suggestion,
    suggestion.deadlines.count('co-opinion', new Date().toISOString(), [h.limits!.coOpinion], (at) => correctOpinionDue(suggestion, at)),
  );
  const scope = new CancellationScope();
  h.jointScope = scope;
  for (const department of departments) {
    const record: OpinionRecord = { department, workflowId: coHandlingWorkflowId(suggestion, department), dueAt, status: 'pending' };
    h.opinions.push(record);
    scope
      .run(() =>
        executeChild(coHandlingWorkflow, {
          workflowId: record.workflowId,
          args: [
            { trackingNumber: suggestion.intake.trackingNumber, title: suggestion.intake.title, department, leadDepartment: suggestion.leadDepartment!, dueAt },
          ],
        }),
      )
      .then(
        (outcome) => recordOpinion(suggestion, record, outcome),
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }
  suggestion.record('joint_handling_started', 'system', { departments, dueAt });
  suggestion.notify(...departments.map((department) => notices.opinionRequested(suggestion, department, dueAt)));
}

/** A reassignment, return, decision or closure withdraws the opinions still outstanding. */
export function cancelJointHandling(suggestion: Suggestion): void {
  const h = suggestion.handling;
  for (const o of h.pendingOpinions()) o.status = 'withdrawn';
  h.jointScope?.cancel();
  h.jointScope = undefined;
  suggestion.deadlines.settle('co-opinion');
}

/** Opinions are due no later than the lead department's answer. */
function opinionDue(suggestion: Suggestion, coOpinionDue: string): string {
  return new Date(Math.min(Date.parse(coOpinionDue), Date.parse(suggestion.handling.responseDueAt!))).toISOString();
}

/** A published calendar moved the opinions' deadline: each pending co-handling workflow is told. */
function correctOpinionDue(suggestion: Suggestion, coOpinionDue: string): void {
  const dueAt = opinionDue(suggestion, coOpinionDue);
  for (const o of suggestion.handling.pendingOpinions()) {
    if (o.dueAt === dueAt) continue;
    o.dueAt = dueAt;
    void getExternalWorkflowHandle(o.workflowId)
      .signal(opinionDueCorrectedSignal, { dueAt, ...issuedTo(o.workflowId) })
      .catch(() => undefined);
  }
}

function recordOpinion(suggestion: Suggestion, record: OpinionRecord, outcome: CoHandlingOutcome): void {
  if (record.status !== 'pending') return;
  if (outcome.status === 'given') {
    Object.assign(record, { status: 'given', opinion: outcome.opinion, givenBy: outcome.givenBy, at: outcome.at });
    suggestion.record('opinion_given', outcome.givenBy ?? record.department, { department: record.department });
    suggestion.notify(notices.opinionGiven(suggestion, record.department, outcome.opinion ?? ''));
    return;
  }
  record.status = 'missing';
  suggestion.record('opinion_missing', 'system', { department: record.department, dueAt: record.dueAt });
  suggestion.notify(...notices.opinionMissing(suggestion, record.department, record.dueAt));
}
