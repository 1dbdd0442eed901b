import { matchRoutingRule, type RoutingRuleData } from '../../domain/routing';

const rule = (r: Partial<RoutingRuleData> & Pick<RoutingRuleData, 'id' | 'category' | 'leadDepartment'>): RoutingRuleData => ({
  district: null,
  channel: null,
  coDepartments: [],
  priority: 0,
  active: true,
  ...r,
});

const rules = [
  rule({ id: 1, category: 'housing', leadDepartment: 'housing' }),
  rule({ id: 2, category: 'housing', district: 'yangpu', leadDepartment: 'yangpu-housing', coDepartments: ['yangpu-wujiaochang', 'yangpu-housing'] }),
  rule({ id: 3, category: 'housing', district: 'yangpu', channel: 'hotline', leadDepartment: 'yangpu-hotline-desk' }),
  rule({ id: 4, category: 'transport', leadDepartment: 'old-transport', active: false }),
  rule({ id: 5, category: 'transport', leadDepartment: 'transport', priority: 1 }),
  rule({ id: 6, category: 'transport', leadDepartment: 'transport-backup' }),
];

test('a rule naming the district beats the city-wide rule', () => {
  expect(matchRoutingRule(rules, { category: 'housing', district: 'yangpu', channel: 'web' })?.leadDepartment).toBe('yangpu-housing');
  expect(matchRoutingRule(rules, { category: 'housing', district: 'pudong', channel: 'web' })?.leadDepartment).toBe('housing');
});

test('a rule naming the channel beats one that does not', () => {
  expect(matchRoutingRule(rules, { category: 'housing', district: 'yangpu', channel: 'hotline' })?.leadDepartment).toBe('yangpu-hotline-desk');
});

test('inactive rules are ignored and priority breaks ties', () => {
  expect(matchRoutingRule(rules, { category: 'transport', district: 'xuhui', channel: 'web' })).toEqual({
    leadDepartment: 'transport',
    coDepartments: [],
    ruleId: 5,
  });
});

test('the lead department is never its own co-handler', () => {
  expect(matchRoutingRule(rules, { category: 'housing', district: 'yangpu', channel: 'web' })?.coDepartments).toEqual(['yangpu-wujiaochang']);
});

test('no matching rule means manual triage', () => {
  expect(matchRoutingRule(rules, { category: 'other', district: 'yangpu', channel: 'web' })).toBeNull();
});
