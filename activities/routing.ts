import { matchRoutingRule } from '../domain/routing';
import type { Category, Channel, District } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

export interface RoutingRequest {
  trackingNumber: string;
  category: Category;
  district: District;
  channel: Channel;
  /** Departments that returned the suggestion: never routed back to them. */
  exclude?: string[];
}

export type RoutingResult =
  | { kind: 'assigned'; leadDepartment: string; coDepartments: string[]; ruleId: number }
  | { kind: 'triage'; reason: string };

export function routingActivities(db: Database) {
  return {
    /** Finds the responsible departments by the office's rules (归口办理), or sends the suggestion to triage. */
    async routeToDepartment(req: RoutingRequest): Promise<RoutingResult> {
      const rules = await db.routingRule.findMany({ where: { category: req.category, active: true } });
      const target = matchRoutingRule(rules, req, req.exclude ?? []);
      if (target) return { kind: 'assigned', ...target };
      const returned = req.exclude?.length ? ` other than ${req.exclude.join(', ')}` : '';
      return { kind: 'triage', reason: `no routing rule for ${req.category} in ${req.district}${returned}` };
    },

    /** A department's name for the timeline; undefined for a code no longer on the list. */
    async departmentName(code: string): Promise<string | undefined> {
      const department = await db.department.findUnique({ where: { code }, select: { name: true } });
      return department?.name;
    },
  };
}
