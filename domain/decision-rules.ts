import { attachmentRefsProblem } from './attachments';
import { planProblem } from './implementation';
import { outcomes, outcomesNeedingPlan, outcomesNeedingReason, type Outcome } from './vocabulary';

/**
 * What is wrong with a decision, or null; kept free of zod so workflow validators can use it.
 * Not adopted and kept for reference say why; adopted and partially adopted come with the plan
 * that carries them out and the way the suggestion is used (Art 13).
 */
export function decisionProblem(d: { outcome?: unknown; reason?: unknown; reply?: unknown; plan?: unknown; evidence?: unknown }): string | null {
  if (!outcomes.includes(d.outcome as Outcome)) return `outcome must be one of ${outcomes.join(', ')}`;
  if (typeof d.reply !== 'string' || d.reply.trim().length < 2) return 'a decision carries the reply to the proposer';
  if (outcomesNeedingReason.includes(d.outcome as Outcome) && (typeof d.reason !== 'string' || d.reason.trim().length < 2)) {
    return `a decision of ${String(d.outcome)} must give its reason`;
  }
  const evidence = attachmentRefsProblem(d.evidence);
  if (evidence) return evidence;
  if (outcomesNeedingPlan.includes(d.outcome as Outcome)) return planProblem(d.plan);
  if (d.plan !== undefined) return `a decision of ${String(d.outcome)} has no implementation plan`;
  return null;
}
