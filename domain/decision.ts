import { z } from 'zod';
import { decisionProblem } from './decision-rules';
import { maxDueInWorkingDays, maxMilestones, type ImplementationPlanInput } from './implementation';
import { adoptionUsages, outcomes, type Outcome } from './vocabulary';

export const milestoneSchema = z
  .object({
    title: z.string().trim().min(2).max(300),
    ownerDepartment: z.string().regex(/^[a-z0-9_-]{2,64}$/, 'a department code'),
    dueInWorkingDays: z.number().int().min(1).max(maxDueInWorkingDays),
  })
  .strict();

export const milestonesSchema = z.array(milestoneSchema).min(1).max(maxMilestones);

/** How an adopted suggestion is carried out (落实转化) and used (Art 13). */
export const implementationPlanSchema = z
  .object({
    usage: z.array(z.enum(adoptionUsages)).min(1).max(adoptionUsages.length),
    summary: z.string().trim().min(10).max(2000),
    milestones: milestonesSchema,
  })
  .strict();

/** A department's decision on a suggestion (采纳), with the reply the proposer will read. */
export const decisionSchema = z
  .object({
    outcome: z.enum(outcomes),
    reason: z.string().trim().min(2).max(5000).optional(),
    reply: z.string().trim().min(2).max(10000),
    plan: implementationPlanSchema.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const problem = decisionProblem(d);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.includes('reason') ? 'reason' : 'plan'], message: problem });
  });

export type Decision = z.infer<typeof decisionSchema>;

/** A decision as the suggestion records it: what was decided, by whom and when. */
export interface RecordedDecision {
  outcome: Outcome;
  reason?: string;
  reply: string;
  /** Adopted and partially adopted: the plan that carries it out (落实转化). */
  plan?: ImplementationPlanInput;
  decidedBy: string;
  decidedAt: string;
}
