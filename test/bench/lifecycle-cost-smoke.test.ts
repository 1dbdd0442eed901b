import { benchLifecycleCost, happyPathBudget, lifecycleReport, reasonFor } from '../../bench/lifecycle-cost';
import { benchOnOwnDatabase } from '../support/bench-database';
import { suggestionWorkflowType } from '../../domain/workflow-types';

// One suggestion down each path, so the script never rots; `npm run bench:lifecycle` writes the figures.

benchOnOwnDatabase();

test('the lifecycle benchmark drives both paths to closure through the API and explains every action it counts', async () => {
  const paths = await benchLifecycleCost({ log: () => undefined });

  expect(paths.map((p) => p.path)).toEqual(['happy', 'escalation']);
  for (const { cost, steps } of paths) {
    expect(steps.length).toBeGreaterThan(3);
    expect(cost.events).toBeGreaterThan(cost.total);
    // A start, an update per action taken through the API, and the work in between.
    expect(cost.items.get(`start ${suggestionWorkflowType}`)).toBe(1);
    expect([...cost.items.keys()].filter((item) => reasonFor(item) === undefined)).toEqual([]);
  }
  const [happy, escalation] = paths;
  expect(['decide', 'reportProgress', 'rate', 'answerFollowUp'].map((u) => happy.cost.items.get(`update ${u}`))).toEqual([1, 1, 1, 1]);
  expect(['requestExtension', 'decideExtension', 'decide', 'rate'].map((u) => escalation.cost.items.get(`update ${u}`))).toEqual([1, 1, 2, 2]);
  // What the design saves stays saved: registration is no activity task of its own, the waits
  // share one alarm, the follow-up answer waits on no timer, the total does not creep up.
  expect(happy.cost.items.get('activity registerSuggestion')).toBeUndefined();
  // The first workflow task registers and gets its routing plan in one local activity, then records the assignment.
  expect(happy.cost.localActivitiesByTask[0]).toEqual(['registerSuggestion', 'projectSuggestion']);
  const timers = [...happy.cost.items].filter(([item]) => item.startsWith('timer ')).reduce((n, [, count]) => n + count, 0);
  // The response deadline and the alarm after the decision; the follow-up answer's deadline is the daily sweep's.
  expect(timers).toBe(2);
  // Routed as the intake forecast it (api/routing-forecast.ts): upserts only for implementing, implemented, closed.
  expect(happy.cost.items.get('search attribute upsert')).toBe(3);
  expect(happy.cost.total).toBeLessThanOrEqual(happyPathBudget);
  // Overdue, extended and handled twice costs more than the happy path.
  expect(escalation.cost.total).toBeGreaterThan(happy.cost.total);

  const report = lifecycleReport(paths);
  expect(report).toMatch(new RegExp(`\\| happy \\| ${happy.cost.total} \\| ${happy.cost.events} \\|`));
  expect(report).toContain(`goal ≤ ${happyPathBudget}`);
}, 300_000);
