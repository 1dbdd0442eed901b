import type { Category, Channel, District } from '../domain/vocabulary';
import type { routingActivities } from './routing';
import type { timeLimitActivities } from './time-limits';

/** One look-up the workflow will ask for, and its answer: `args` as the workflow passes them. */
export interface LookupAnswer {
  name: 'handlingTerms' | 'deadlineFrom' | 'routeToDepartment' | 'departmentName' | 'reminderTimes';
  args: unknown[];
  /** Absent when the answer is `undefined` (a department no longer on the list). */
  value?: unknown;
}

export interface HandlingLookupsRequest {
  trackingNumber: string;
  channel: Channel;
  category: Category;
  district: District;
  receivedAt: string;
  /** The workflow's clock at this point: when it assigns the suggestion if a rule routes it. */
  assignedAt: string;
}

type Routing = ReturnType<typeof routingActivities>;
type TimeLimits = ReturnType<typeof timeLimitActivities>;

/**
 * The look-ups that take a new suggestion to its department, done in one activity where the
 * workflow would ask for them one by one: its time limits, the routing and reply deadlines, the
 * routing rule, and, when a rule assigns it, the return deadline, the department's name and the
 * reminder times. Each answer is the one the single look-up would give. A look-up that fails
 * ends the list there; the workflow asks for the rest itself, and retries them as before.
 */
export function handlingLookupsActivities(routing: Routing, limits: TimeLimits) {
  return {
    async handlingLookups(req: HandlingLookupsRequest): Promise<LookupAnswer[]> {
      const answers: LookupAnswer[] = [];
      const ask = async <A extends unknown[], R>(name: LookupAnswer['name'], lookup: (...args: A) => Promise<R>, ...args: A): Promise<R> => {
        const value = await lookup(...args);
        answers.push({ name, args, value });
        return value;
      };
      try {
        const terms = await ask('handlingTerms', limits.handlingTerms, { channel: req.channel, category: req.category });
        const [, respondBy] = [
          await ask('deadlineFrom', limits.deadlineFrom, { from: req.receivedAt, limit: terms.limits.route }),
          await ask('deadlineFrom', limits.deadlineFrom, { from: req.receivedAt, limit: terms.limits.respond }),
        ];
        const { trackingNumber, category, district, channel } = req;
        const route = await ask('routeToDepartment', routing.routeToDepartment, { trackingNumber, category, district, channel, exclude: [] });
        if (route.kind !== 'assigned') return answers;
        await ask('deadlineFrom', limits.deadlineFrom, { from: req.assignedAt, limit: terms.limits.returnToTriage });
        await ask('departmentName', routing.departmentName, route.leadDepartment);
        await ask('reminderTimes', limits.reminderTimes, { dueAt: respondBy, offsets: terms.policy.reminderOffsets });
      } catch {
        // The workflow asks for what is missing itself.
      }
      return answers;
    },
  };
}
