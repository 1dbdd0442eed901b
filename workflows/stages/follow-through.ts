import { nextChange } from '../recording';
import type { Suggestion } from '../suggestion';
import { implementationSettled, nextMilestoneDeadline, startImplementation, superviseFollowUp, superviseMilestones } from './implementation';
import { tellGroupSettled } from './merging';
import { nextRatingDeadline, ratingSettled, superviseRating } from './satisfaction';

/**
 * From the reply to closure: the proposer's rating with its possible re-handling (回访) and the
 * implementation of an adopted idea with its follow-up check (落实转化, 回头看) run side by side,
 * until each is settled. Each look sees to what is due now, then waits for the next change or
 * deadline.
 */
export async function rateImplementAndFollowUp(suggestion: Suggestion): Promise<void> {
  startImplementation(suggestion);
  for (;;) {
    superviseRating(suggestion);
    superviseMilestones(suggestion);
    superviseFollowUp(suggestion);
    const rated = ratingSettled(suggestion);
    if (rated && suggestion.group.length > 0 && !suggestion.groupTold) {
      suggestion.groupTold = true;
      tellGroupSettled(suggestion);
    }
    if (rated && implementationSettled(suggestion, rated)) return;
    const next = earliest([nextRatingDeadline(suggestion), nextMilestoneDeadline(suggestion)]);
    await nextChange(suggestion, next?.at, next?.what ?? 'no deadline');
  }
}

function earliest(deadlines: ({ at: number; what: string } | undefined)[]): { at: number; what: string } | undefined {
  const ahead = deadlines.filter((d): d is { at: number; what: string } => d !== undefined && d.at > Date.now());
  return ahead.sort((a, b) => a.at - b.at)[0];
}
