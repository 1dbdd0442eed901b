import { deadlineAfter, type HolidayCalendar } from '../domain/calendar';
import { matchRoutingRule } from '../domain/routing';
import { timeLimitsFor } from '../domain/time-limits';
import type { Category, Channel, District } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

export interface RoutingRequest {
  trackingNumber: string;
  category: Category;
  district: District;
  channel: Channel;
  receivedAt: string;
}

export type RoutingResult =
  | { kind: 'assigned'; leadDepartment: string; coDepartments: string[]; ruleId: number; dueAt: string }
  | { kind: 'triage'; reason: string; dueAt: string };

export function routingActivities(db: Database, currentCalendar: () => Promise<HolidayCalendar>) {
  return {
    /** Finds the responsible department by the office's rules and the response deadline (转送, 办理时限). */
    async routeToDepartment(req: RoutingRequest): Promise<RoutingResult> {
      const rules = await db.routingRule.findMany({ where: { category: req.category, active: true } });
      const target = matchRoutingRule(rules, req);
      // The response deadline counts from receipt, whoever ends up handling the suggestion.
      const limit = timeLimitsFor(req.channel, req.category).respond;
      const dueAt = deadlineAfter(await currentCalendar(), new Date(req.receivedAt), limit).toISOString();
      if (!target) return { kind: 'triage', reason: `no routing rule for ${req.category} in ${req.district}`, dueAt };
      return { kind: 'assigned', ...target, dueAt };
    },
  };
}
