import { matchRoutingRule, type RoutingRuleData } from '../domain/routing';
import type { Category, Channel, District } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

export interface RoutingRequest {
  trackingNumber: string;
  category: Category;
  district: District;
  channel: Channel;
  /** The street or town (街镇) of the matter's place, when given: a rule for it beats the district's. */
  street?: string;
  /** Departments that returned the suggestion: never routed back to them. */
  exclude?: string[];
}

/** Where the office's rules send a suggestion: its departments (the lead one named as it stands now), or triage. */
export type Route =
  { kind: 'assigned'; leadDepartment: string; leadDepartmentName?: string; coDepartments: string[]; ruleId: number } | { kind: 'triage'; reason: string };

export function routingActivities(db: Database) {
  return {
    /**
     * Finds the responsible departments by the office's rules (归口办理), or sends the suggestion to
     * triage. The lead department's name goes on the timeline as it stands at the assignment, which
     * a code looked up later would not keep when departments are renamed or merged (机构改革).
     */
    async routeToDepartment(req: RoutingRequest): Promise<Route> {
      const rules = await db.routingRule.findMany({ where: { category: req.category, active: true } });
      const target = matchRoutingRule(rules, req, req.exclude ?? []);
      const department = target ? await db.department.findUnique({ where: { code: target.leadDepartment }, select: { name: true } }) : null;
      return routeBy(rules, req, department ? { [target!.leadDepartment]: department.name } : {});
    },
  };
}

/** Where the rules send a suggestion, the lead department named as `names` has it (none: unnamed). */
export function routeBy(rules: readonly RoutingRuleData[], req: RoutingRequest, names: Readonly<Record<string, string>>): Route {
  const target = matchRoutingRule(rules, req, req.exclude ?? []);
  if (!target) {
    const returned = req.exclude?.length ? ` other than ${req.exclude.join(', ')}` : '';
    return { kind: 'triage', reason: `no routing rule for ${req.category} in ${req.district}${returned}` };
  }
  const name = names[target.leadDepartment];
  return { kind: 'assigned', ...target, ...(name !== undefined ? { leadDepartmentName: name } : {}) };
}
