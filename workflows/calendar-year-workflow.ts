import { proxyActivities, sleep } from '@temporalio/workflow';
import type { SuggestionActivities } from '../activities';

const { giveOpenSuggestionsYear, refreshCollectionSchedules, markCalendarYearCorrected } = proxyActivities<SuggestionActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A suggestion registered just before the load may have read the forecast then and become visible to the listing only after it. */
const secondPassAfter = '1 minute';

/**
 * The office loaded a year's official holiday schedule (PUT /v1/calendar-years/{year} or
 * `npm run calendar -- load`): every open suggestion is given it and counts again the deadlines
 * it counted on that year's forecast, and every monthly collection's Schedule lists the year's
 * first working days at once. A second pass a minute later reaches the suggestions registered
 * while the first one listed them. Started by the worker that hears of the load (worker/calendar-watcher.ts).
 */
export async function calendarYearWorkflow(load: { year: number; loadedAt: string }): Promise<{ suggestions: number; collections: number }> {
  const first = await giveOpenSuggestionsYear(load);
  const collections = await refreshCollectionSchedules();
  await sleep(secondPassAfter);
  const second = await giveOpenSuggestionsYear(load);
  await markCalendarYearCorrected(load);
  return { suggestions: first + second, collections };
}
