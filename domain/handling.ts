import type { TimeLimit } from './calendar/working-days';
import type { HandlingPolicy, TimeLimits } from './time-limits';

// The handling chain between routing and the decision, as staff see it: who handles, under
// which deadlines, what was returned, extended, given as opinion or closed as out of scope.

/** Matters that are not suggestions (Art 10): they belong elsewhere, and the proposer is told where. */
export const outOfScopeKinds = ['personal_claim', 'litigation', 'arbitration', 'administrative_review'] as const;
export type OutOfScopeKind = (typeof outOfScopeKinds)[number];

/** 退回: a department said the suggestion is not in its remit. */
export interface ReturnRecord {
  department: string;
  reason: string;
  at: string;
}

/** The levels of the chain an office works at: the city, a district, a street or town (市 → 区 → 街镇). */
export const jurisdictionLevels = ['city', 'district', 'street'] as const;
export type JurisdictionLevel = (typeof jurisdictionLevels)[number];

/** 转办: a suggestion handed up or down a level, with the reason and the receiving level's deadline to take it on. */
export interface HandoverRecord {
  /** Jurisdiction codes: `city`, a district's code, a street's nine digits. */
  from: string;
  to: string;
  direction: 'up' | 'down';
  toLevel: JurisdictionLevel;
  reason: string;
  by: string;
  at: string;
  dueAt: string;
}

/** 延期: a request for more time and the supervisor's answer. */
export interface ExtensionRecord {
  id: number;
  requestedBy: string;
  days: number;
  unit: TimeLimit['unit'];
  reason: string;
  requestedAt: string;
  status: 'pending' | 'approved' | 'refused';
  decidedBy?: string;
  decisionReason?: string;
  decidedAt?: string;
  previousDueAt?: string;
  newDueAt?: string;
}

/** 会办意见: one co-handling department's opinion, handled in a child workflow of its own. */
export interface OpinionRecord {
  department: string;
  workflowId: string;
  dueAt: string;
  status: 'pending' | 'given' | 'missing' | 'withdrawn';
  opinion?: string;
  givenBy?: string;
  at?: string;
}

export interface OutOfScopeRecord {
  kind: OutOfScopeKind;
  reason: string;
  referral: string;
  closedBy: string;
  at: string;
}

export interface HandlingView {
  urgent: boolean;
  limits?: TimeLimits;
  policy?: HandlingPolicy;
  /** The office's deadline to route the suggestion (转送时限). */
  triageDueAt?: string;
  /** The department's response deadline (办理时限), moved by an approved extension. */
  responseDueAt?: string;
  assignedAt?: string;
  /** Until when the current lead department may return the suggestion. */
  returnableUntil?: string;
  returns: ReturnRecord[];
  /** Set once the returns reach the policy's limit: only the office assigns from then on. */
  officeOnly: boolean;
  extensions: ExtensionRecord[];
  opinions: OpinionRecord[];
  remindersSent: string[];
  outOfScope?: OutOfScopeRecord;
  /** Every hand-over between levels, oldest first. */
  handovers?: HandoverRecord[];
}

const text = (value: unknown, min = 2): value is string => typeof value === 'string' && value.trim().length >= min;

/** What is wrong with a return, or null; free of zod so workflow validators can use it. */
export function returnProblem(r: { reason?: unknown }): string | null {
  return text(r.reason) ? null : "a return gives the reason the suggestion is not in the department's remit";
}

export function extensionRequestProblem(r: { days?: unknown; reason?: unknown }, max: TimeLimit): string | null {
  if (typeof r.days !== 'number' || !Number.isInteger(r.days) || r.days < 1) return 'an extension asks for a whole number of days ≥ 1';
  if (r.days > max.amount) return `an extension is at most ${max.amount} ${max.unit.replace('_', ' ')}`;
  return text(r.reason) ? null : 'an extension request gives its reason';
}

export function extensionDecisionProblem(r: { approve?: unknown; reason?: unknown }): string | null {
  if (typeof r.approve !== 'boolean') return 'say whether the extension is approved';
  return text(r.reason) ? null : 'the supervisor gives the reason, which the proposer is told';
}

export function outOfScopeProblem(r: { kind?: unknown; reason?: unknown; referral?: unknown }): string | null {
  if (!outOfScopeKinds.includes(r.kind as OutOfScopeKind)) return `kind must be one of ${outOfScopeKinds.join(', ')}`;
  if (!text(r.reason)) return 'closing as out of scope gives the reason';
  return text(r.referral) ? null : 'closing as out of scope tells the proposer where to turn';
}

export function opinionProblem(r: { opinion?: unknown }): string | null {
  return text(r.opinion) ? null : 'an opinion states what the department thinks';
}
