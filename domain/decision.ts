import { z } from 'zod';
import { decisionProblem } from './decision-rules';
import { outcomes } from './vocabulary';

/** A department's decision on a suggestion (采纳), with the reply the proposer will read. */
export const decisionSchema = z
  .object({
    outcome: z.enum(outcomes),
    reason: z.string().trim().min(2).max(5000).optional(),
    reply: z.string().trim().min(2).max(10000),
  })
  .strict()
  .superRefine((d, ctx) => {
    const problem = decisionProblem(d);
    if (problem) ctx.addIssue({ code: 'custom', path: ['reason'], message: problem });
  });

export type Decision = z.infer<typeof decisionSchema>;
