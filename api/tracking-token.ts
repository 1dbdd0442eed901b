import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../codec';
import type { Database } from '../prisma/client';

// The proposer's tracking token (查询码): given once at intake, kept only as a hash. With the
// tracking number it lets the proposer follow and rate their suggestion without an account.

export const trackingTokenHeader = 'x-tracking-token';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A fresh token and the hash under which it is kept. */
export function newTrackingToken(): { token: string; hash: string } {
  const token = randomBytes(18).toString('base64url');
  return { token, hash: hashToken(token) };
}

/**
 * The token of an intake sent with an Idempotency-Key: every attempt of the same submission gets
 * the same one, derived with the server's key from the key as scoped to its caller (intake.ts) and
 * the tracking number it holds, so no other caller's submission, under whatever key, gets it. A
 * client that gave up on a slow first attempt and retried holds the token of whichever answer
 * reached it; attempts still running on the server record the same hash, so none of them voids
 * the token the client kept.
 */
export function trackingTokenFor(keys: KeyRing, scopedKey: string, trackingNumber: string): { token: string; hash: string } {
  const token = createHmac('sha256', keys.derive('tracking-token')).update(`intake:${scopedKey}\n${trackingNumber}`).digest().subarray(0, 18).toString('base64url');
  return { token, hash: hashToken(token) };
}

/**
 * Whether `token` is the suggestion's own. Its hash travels in the workflow's input and the
 * registration writes it to the read model; until then (a busy worker) the workflow's copy
 * answers, so a token works as soon as the receipt is out.
 */
export async function trackingTokenMatches(db: Database, suggestionId: string, token: string | undefined, hashInWorkflow: () => Promise<string | null | undefined>): Promise<boolean> {
  if (!token) return false;
  const stored = (await db.trackingToken.findUnique({ where: { suggestionId } }))?.hash ?? (await hashInWorkflow());
  if (!stored) return false;
  return timingSafeEqual(Buffer.from(hashToken(token), 'hex'), Buffer.from(stored, 'hex'));
}
