import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { opinionProblem } from '../domain/handling';
import {
  coHandlingStateQuery,
  giveOpinionUpdate,
  opinionDueCorrectedSignal,
  type CoHandlingAssignment,
  type CoHandlingOutcome,
  type OpinionRequest,
} from './handling-messages';
import { issuedHere, refuseUnlessIssuedHere, refuseUnsealedInput } from './issued-for';
import { refuse } from './refusals';

/**
 * One co-handling department's part in joint handling (会办): it gives its opinion to the lead
 * department by its deadline, or the deadline passes and the opinion is recorded as missing.
 */
export async function coHandlingWorkflow(assignment: CoHandlingAssignment): Promise<CoHandlingOutcome> {
  refuseUnsealedInput(assignment);
  const state: CoHandlingOutcome = { department: assignment.department, status: 'pending', dueAt: assignment.dueAt };
  let givenWith: string | undefined;
  setHandler(coHandlingStateQuery, () => state);
  setHandler(
    giveOpinionUpdate,
    (request) => {
      if (state.status === 'pending') {
        Object.assign(state, { status: 'given', opinion: request.opinion.trim(), givenBy: request.actor.name, at: new Date().toISOString() });
        givenWith = request.issuedFor?.updateId;
      }
      return state;
    },
    { validator: (request) => refuseInvalidOpinion(assignment, state, request, givenWith) },
  );
  setHandler(opinionDueCorrectedSignal, (signal) => {
    if (issuedHere(signal, 'opinionDueCorrected')) state.dueAt = signal.dueAt;
  });

  // Waits again when the deadline is corrected while it waits.
  for (let due = state.dueAt; state.status === 'pending' && Date.now() < Date.parse(due); due = state.dueAt) {
    await condition(() => state.status === 'given' || state.dueAt !== due, Math.max(1, Date.parse(due) - Date.now()));
  }
  if (state.status === 'pending') state.status = 'missing';
  await condition(allHandlersFinished);
  return state;
}

function refuseInvalidOpinion(assignment: CoHandlingAssignment, state: CoHandlingOutcome, request: OpinionRequest, givenWith?: string): void {
  refuseUnlessIssuedHere(request);
  if (request.issuedFor.updateId !== undefined && request.issuedFor.updateId === givenWith) return;
  if (request.actor.role !== 'department' || request.actor.departmentCode !== assignment.department) {
    refuse('WrongDepartment', `only ${assignment.department} gives this co-handling opinion`);
  }
  if (state.status !== 'pending') refuse('WrongState', `the opinion is already ${state.status}`);
  const problem = opinionProblem(request);
  if (problem) refuse('InvalidAction', problem);
}
