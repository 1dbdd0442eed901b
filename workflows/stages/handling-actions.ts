import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { SuggestionView } from '../../domain/suggestion';
import { closeOutOfScopeUpdate, decideExtensionUpdate, markUrgentUpdate, requestExtensionUpdate, returnUpdate, type ActionRequest } from '../handling-messages';
import { assignUpdate } from '../messages';
import { refuse } from '../refusals';
import type { SuggestionRecord } from '../suggestion-record';
import { returnToTriage, refuseInvalidReturn } from './department-return';
import { decideExtension, refuseInvalidExtensionDecision, refuseInvalidExtensionRequest, requestExtension } from './extension';
import { assignByOffice, closeOutOfScope, markUrgent, refuseInvalidAssignment, refuseInvalidClosure, refuseInvalidUrgency } from './triage';

/** Registers the office, department and supervisor actions of the handling chain. */
export function registerHandlingActions(suggestion: SuggestionRecord): void {
  action(suggestion, assignUpdate, refuseInvalidAssignment, assignByOffice);
  action(suggestion, returnUpdate, refuseInvalidReturn, returnToTriage);
  action(suggestion, requestExtensionUpdate, refuseInvalidExtensionRequest, requestExtension);
  action(suggestion, decideExtensionUpdate, refuseInvalidExtensionDecision, decideExtension);
  action(suggestion, closeOutOfScopeUpdate, refuseInvalidClosure, closeOutOfScope);
  action(suggestion, markUrgentUpdate, refuseInvalidUrgency, markUrgent);
}

/**
 * One action as an update: refused by its validator before it enters history, applied once per
 * action id (a retry answers with the current state and changes nothing).
 */
function action<R extends ActionRequest>(
  suggestion: SuggestionRecord,
  update: UpdateDefinition<SuggestionView, [R]>,
  refuseInvalid: (suggestion: SuggestionRecord, request: R) => void,
  apply: (suggestion: SuggestionRecord, request: R) => Promise<void>,
): void {
  const h = suggestion.handling;
  setHandler(
    update,
    async (request) => {
      if (!h.alreadyApplied(request.actionId)) {
        h.markApplied(request.actionId);
        await apply(suggestion, request);
      }
      return suggestion.view();
    },
    {
      validator: (request) => {
        if (h.alreadyApplied(request.actionId)) return;
        refuseInvalid(suggestion, request);
      },
    },
  );
}

/** 会办: the lead decides only once every co-handling opinion is in or its deadline has passed. */
export function refuseDecisionBeforeOpinions(suggestion: SuggestionRecord): void {
  const pending = suggestion.handling.pendingOpinions();
  if (pending.length > 0) {
    refuse('WrongState', `waiting for the opinions of ${pending.map((o) => `${o.department} (due ${o.dueAt})`).join(', ')}`);
  }
}
