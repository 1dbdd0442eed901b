import { log } from '@temporalio/activity';
import { deadlineAfter, MissingCalendarYearError, subtractWorkingDays, type HolidayCalendar, type TimeLimit } from '../domain/calendar';
import { feedbackTermsFrom, type FeedbackTerms } from '../domain/feedback-terms';
import { defaultHandlingPolicy, timeLimitsFor, type HandlingPolicy, type TimeLimits } from '../domain/time-limits';
import type { Category, Channel } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

export interface ReminderTime {
  /** Working days before the deadline. */
  offset: number;
  at: string;
}

/**
 * Time limits and deadlines. The workflow passes every instant explicitly (its own clock), so
 * the same computation gives the same answer under the time-skipping test server.
 */
export function timeLimitActivities(db: Database, currentCalendar: () => Promise<HolidayCalendar>) {
  /** A year without calendar data fails loudly and the activity retries until the office loads it. */
  async function withCalendar<T>(compute: (cal: HolidayCalendar) => T): Promise<T> {
    const cal = await currentCalendar();
    try {
      return compute(cal);
    } catch (err) {
      if (err instanceof MissingCalendarYearError) log.warn(`working-day deadline not computable: ${err.message}; load the year's calendar`);
      throw err;
    }
  }

  return {
    /**
     * The limits the office configured for this channel and category, over the defaults, and the
     * terms after the decision, read together: the suggestion keeps them whatever the office
     * changes later (a change applies to suggestions that arrive after it).
     */
    async handlingTerms(req: { channel: Channel; category: Category }): Promise<{ limits: TimeLimits; policy: HandlingPolicy; feedback: FeedbackTerms }> {
      const settings = await db.timeLimitSetting.findMany();
      return { limits: timeLimitsFor(req.channel, req.category, settings), policy: defaultHandlingPolicy, feedback: feedbackTermsFrom(settings) };
    },

    /** The end of a time limit counted from `from` (the day of `from` is not counted). */
    async deadlineFrom(req: { from: string; limit: TimeLimit }): Promise<string> {
      return withCalendar((cal) => deadlineAfter(cal, new Date(req.from), req.limit).toISOString());
    },

    /**
     * The same, or null while the calendar of the deadline's year is not loaded: for a deadline set
     * months ahead, which the workflow can also work out later, on the day it starts to count.
     */
    async deadlineIfKnown(req: { from: string; limit: TimeLimit }): Promise<string | null> {
      const cal = await currentCalendar();
      try {
        return deadlineAfter(cal, new Date(req.from), req.limit).toISOString();
      } catch (err) {
        if (err instanceof MissingCalendarYearError) return null;
        throw err;
      }
    },

    /**
     * When to remind the department (催办): the start of the nth working day before the deadline.
     * A reminder that falls in a year without calendar data is left out (and logged), so the
     * deadline itself is still supervised.
     */
    async reminderTimes(req: { dueAt: string; offsets: number[] }): Promise<ReminderTime[]> {
      const cal = await currentCalendar();
      return req.offsets.flatMap((offset) => {
        try {
          return [{ offset, at: subtractWorkingDays(cal, new Date(req.dueAt), offset).toISOString() }];
        } catch (err) {
          if (!(err instanceof MissingCalendarYearError)) throw err;
          log.warn(`reminder ${offset} working day(s) before ${req.dueAt} left out: ${err.message}`);
          return [];
        }
      });
    },
  };
}
