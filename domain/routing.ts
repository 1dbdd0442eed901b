import type { Category, Channel, District } from './vocabulary';

/** One routing rule as the office keeps it (归口办理): null district, street or channel matches any. */
export interface RoutingRuleData {
  id: number;
  category: string;
  district: string | null;
  /** A street or town (街镇) of the district, by its statistics code; null: the whole district. */
  street?: string | null;
  channel: string | null;
  leadDepartment: string;
  coDepartments: string[];
  priority: number;
  active: boolean;
}

export interface RoutingTarget {
  leadDepartment: string;
  coDepartments: string[];
  ruleId: number;
}

/**
 * The responsible departments for a suggestion, or null when no rule matches and the
 * collection office must route it by hand. A rule naming the street beats one naming only the
 * district, which beats a city-wide one; one naming the channel beats one that does not, then the
 * higher priority, then the older rule.
 */
export function matchRoutingRule(
  rules: readonly RoutingRuleData[],
  s: { category: Category; district: District; channel: Channel; street?: string },
  /** Departments that returned this suggestion (退回): routing never sends it back to them. */
  exclude: readonly string[] = [],
): RoutingTarget | null {
  const candidates = rules.filter(
    (r) =>
      r.active &&
      !exclude.includes(r.leadDepartment) &&
      r.category === s.category &&
      (r.district === null || r.district === s.district) &&
      (r.street == null || r.street === s.street) &&
      (r.channel === null || r.channel === s.channel),
  );
  if (candidates.length === 0) return null;
  const specificity = (r: RoutingRuleData) => (r.street != null ? 4 : 0) + (r.district !== null ? 2 : 0) + (r.channel !== null ? 1 : 0);
  candidates.sort((a, b) => specificity(b) - specificity(a) || b.priority - a.priority || a.id - b.id);
  const best = candidates[0];
  return {
    leadDepartment: best.leadDepartment,
    coDepartments: [...new Set(best.coDepartments)].filter((c) => c !== best.leadDepartment && !exclude.includes(c)),
    ruleId: best.id,
  };
}
