import { addWorkingDays, type HolidayCalendar } from '../domain/calendar';
import { feedbackTermsFrom, feedbackTermSteps, type FeedbackTerms } from '../domain/feedback-terms';
import type { Database } from '../prisma/client';

/** Terms and dates after the decision: implementation milestones, the rating window, follow-up. */
export function feedbackActivities(db: Database, currentCalendar: () => Promise<HolidayCalendar>) {
  return {
    /** The office's settings for the steps after the decision, over the defaults. */
    async feedbackTerms(): Promise<FeedbackTerms> {
      const settings = await db.timeLimitSetting.findMany({ where: { step: { in: [...feedbackTermSteps] } } });
      return feedbackTermsFrom(settings);
    },

    /** Each milestone's due date: the end of its nth working day after `from` (the plan's day not counted). */
    async milestoneDueDates(req: { from: string; workingDays: number[] }): Promise<string[]> {
      const cal = await currentCalendar();
      return req.workingDays.map((n) => addWorkingDays(cal, new Date(req.from), n).toISOString());
    },
  };
}
