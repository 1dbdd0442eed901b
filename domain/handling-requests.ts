import { z } from 'zod';
import { outOfScopeKinds } from './handling';

// Request bodies of the handling actions, validated by the API; the workflow's validators
// check the same rules again (domain/handling.ts) against the suggestion's current state.

const reason = z.string().trim().min(2).max(5000);

export const returnBody = z.object({ reason }).strict();

export const extensionRequestBody = z.object({ days: z.number().int().min(1).max(366), reason }).strict();

export const extensionDecisionBody = z.object({ approve: z.boolean(), reason }).strict();

export const opinionBody = z.object({ opinion: z.string().trim().min(2).max(10000) }).strict();

export const outOfScopeBody = z
  .object({
    kind: z.enum(outOfScopeKinds),
    reason,
    /** Where the proposer should turn instead: a court, an arbitration commission, the petitions office … */
    referral: z.string().trim().min(2).max(2000),
  })
  .strict();

export const urgentBody = z.object({ reason }).strict();
