import { z } from 'zod';
import { attachmentIdPattern, maxAttachments, type AttachmentRef } from './attachments';
import { decisionProblem } from './decision-rules';
import { maxDueInWorkingDays, maxMilestones, type ImplementationPlanInput } from './implementation';
import { adoptionUsages, outcomes, type Outcome } from './vocabulary';

export const milestoneSchema = z
  .object({
    title: z
      .string()
      .trim()
      .min(2)
      .max(300)
      .describe('what is done by this step, as the public board shows it')
      .meta({ examples: ['现场踏勘和方案设计'] }),
    ownerDepartment: z
      .string()
      .regex(/^[a-z0-9_-]{2,64}$/, 'a department code')
      .describe('the department that carries out this step and reports its progress')
      .meta({ examples: ['transport'] }),
    dueInWorkingDays: z
      .number()
      .int()
      .min(1)
      .max(maxDueInWorkingDays)
      .describe(`when it is due, in working days from the plan (1–${maxDueInWorkingDays})`)
      .meta({ examples: [20] }),
  })
  .strict()
  .describe('One step of the implementation plan (落实节点)');

export const milestonesSchema = z
  .array(milestoneSchema)
  .min(1)
  .max(maxMilestones)
  .describe(`the steps, 1 to ${maxMilestones}, each with its owner and due date`);

/** The plan of the examples: a bus shelter at 国定路. */
const examplePlan = {
  usage: ['livelihood_measure'],
  summary: '国定路政通路口公交站加装带座椅的候车亭和到站信息屏。',
  milestones: [
    { title: '现场踏勘和方案设计', ownerDepartment: 'transport', dueInWorkingDays: 20 },
    { title: '候车亭施工和信息屏安装', ownerDepartment: 'transport', dueInWorkingDays: 60 },
  ],
};

/** How an adopted suggestion is carried out (落实转化) and used (Art 13). */
export const implementationPlanSchema = z
  .object({
    usage: z.array(z.enum(adoptionUsages)).min(1).max(adoptionUsages.length).describe('how the suggestion is used (Art 13): one or more'),
    summary: z
      .string()
      .trim()
      .min(10)
      .max(2000)
      .describe('what changes, in words fit for the public board; never who proposed it')
      .meta({ examples: [examplePlan.summary] }),
    milestones: milestonesSchema,
  })
  .strict()
  .describe('How an adopted suggestion is carried out (落实转化); required when adopted or partially adopted')
  .meta({ examples: [examplePlan] });

/** Photos and documents a department sent to POST /v1/uploads first, by their uploadId. */
export const evidenceUploadsSchema = z
  .array(z.string().regex(attachmentIdPattern, 'an upload id from POST /v1/uploads'))
  .max(maxAttachments)
  .optional()
  .describe(
    `evidence (photos, documents) uploaded first with POST /v1/uploads by this department, by uploadId; at most ${maxAttachments}; public on the board with the suggestion`,
  )
  .meta({ examples: [['5d0c7a3b-9e1f-4a2c-8b6d-0e4f1a3c5b7d']] });

/** A department's decision on a suggestion (采纳), with the reply the proposer will read. */
export const decisionSchema = z
  .object({
    outcome: z.enum(outcomes).describe('adopted and partially_adopted come with a plan; for_reference and not_adopted with a reason'),
    reason: z
      .string()
      .trim()
      .min(2)
      .max(5000)
      .optional()
      .describe('why it is kept for reference or not adopted')
      .meta({ examples: ['该路段人行道宽度不足两米，设置候车亭将影响行人通行，已改为增设站牌遮阳棚。'] }),
    reply: z
      .string()
      .trim()
      .min(2)
      .max(10000)
      .describe('the reply (答复) the proposer reads, by the channel they chose')
      .meta({ examples: ['感谢您的建议。我委已会同杨浦区完成现场踏勘，将于明年一季度在国定路政通路口公交站加装候车亭和到站信息屏。'] }),
    plan: implementationPlanSchema.optional(),
    evidence: evidenceUploadsSchema,
  })
  .strict()
  .describe("The lead department's decision (采纳) and its reply to the proposer")
  .meta({
    examples: [
      {
        outcome: 'adopted',
        reply: '感谢您的建议。我委已会同杨浦区完成现场踏勘，将于明年一季度在国定路政通路口公交站加装候车亭和到站信息屏。',
        plan: examplePlan,
      },
    ],
  })
  .superRefine((d, ctx) => {
    // Evidence is named by upload id here; the API turns the ids into references, which the workflow checks.
    const problem = decisionProblem({ ...d, evidence: undefined });
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
  /** Photos and documents published with the decision: references only. */
  evidence?: AttachmentRef[];
  decidedBy: string;
  decidedAt: string;
}
