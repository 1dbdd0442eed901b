import { jurisdictionLevels } from '../../domain/handling';
import type { HandOverRequest } from '../handling-messages';
import { notices } from '../notices';
import { refuse } from '../refusals';
import type { Suggestion } from '../suggestion';
import { cancelJointHandling } from './joint-handling';
import { defaultTimeLimits } from '../../domain/time-limits';

// 转办 between levels (市 → 区 → 街镇 and back): the office holding a suggestion hands it to the
// level above or below, with its reason. The receiving level's office routes it by hand, by a
// deadline of its own counted from the hand-over (the `handover` time limit).

export function refuseInvalidHandover(suggestion: Suggestion, request: HandOverRequest): void {
  const h = suggestion.handling;
  if (request.actor.role !== 'office') refuse('WrongDepartment', 'only a collection office hands a suggestion to another level');
  if (suggestion.status !== 'triage' && suggestion.status !== 'handling')
    refuse('WrongState', `a suggestion in status ${suggestion.status} can no longer be handed to another level`);
  if (request.from !== h.jurisdiction) refuse('WrongState', `the suggestion is held by ${h.jurisdiction}, not ${request.from}`);
  if (typeof request.to !== 'string' || request.to === request.from) refuse('InvalidAction', 'a hand-over names another level');
  if (request.direction !== 'up' && request.direction !== 'down') refuse('InvalidAction', 'a hand-over goes up or down a level');
  if (!(jurisdictionLevels as readonly string[]).includes(request.toLevel)) refuse('InvalidAction', 'a hand-over names the level it goes to');
  if (typeof request.reason !== 'string' || request.reason.trim().length < 2) refuse('InvalidAction', 'a hand-over gives its reason');
}

/** The receiving level holds it from now, in its triage, with its own deadline to route it. */
export function handOver(suggestion: Suggestion, request: HandOverRequest): void {
  const h = suggestion.handling;
  const at = new Date().toISOString();
  const previous = suggestion.leadDepartment;
  cancelJointHandling(suggestion);
  // Suggestions started before the step existed carry no handover limit: the default applies.
  const dueAt = suggestion.deadlines.count('triage', at, [h.limits?.handover ?? defaultTimeLimits.handover], (due) => (h.triageDueAt = due));
  suggestion.deadlines.settle('returnable');
  const record = {
    from: request.from,
    to: request.to,
    direction: request.direction,
    toLevel: request.toLevel,
    reason: request.reason.trim(),
    by: request.actor.name,
    at,
    dueAt,
  };
  h.handovers.push(record);
  h.jurisdiction = request.to;
  // A routing result still under way is for the level before.
  h.assignments += 1;
  h.rerouteRequested = false;
  h.returnableUntil = undefined;
  suggestion.status = 'triage';
  suggestion.binding = 'triage';
  suggestion.leadDepartment = undefined;
  suggestion.coDepartments = [];
  suggestion.record(request.direction === 'up' ? 'handed_up' : 'handed_down', request.actor.name, {
    from: record.from,
    to: record.to,
    toLevel: record.toLevel,
    reason: record.reason,
    dueAt,
    ...(previous ? { previousLeadDepartment: previous } : {}),
    ...suggestion.provisionalNote('triage'),
  });
  suggestion.notify(notices.toRoute(suggestion, `handed ${request.direction} from ${record.from} to ${record.to}: ${record.reason}`));
}
