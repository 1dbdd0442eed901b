import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../codec';
import { canonicalTrackingToken, formatTrackingToken, trackingTokenForms } from '../domain/tracking-token-format';
import type { Database } from '../prisma/client';

// The proposer's tracking token (查询码): given once at intake, kept only as a hash. With the
// tracking number it lets the proposer follow and rate their suggestion without an account. How a
// token is written and read back (groups of an unambiguous alphabet, any case) is
// domain/tracking-token-format.ts; what is hashed is the token's canonical form.

export const trackingTokenHeader = 'x-tracking-token';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The token as it is given out, and the hash of its canonical form, under which it is kept. */
function issued(token: string): { token: string; hash: string } {
  return { token, hash: hashToken(canonicalTrackingToken(token)!) };
}

/** A fresh token and the hash under which it is kept. */
export function newTrackingToken(): { token: string; hash: string } {
  return issued(formatTrackingToken(randomBytes(18)));
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
  return issued(
    formatTrackingToken(createHmac('sha256', keys.derive('tracking-token')).update(`intake:${scopedKey}\n${trackingNumber}`).digest().subarray(0, 18)),
  );
}

/**
 * Whether `token` is the suggestion's own. Its hash travels in the workflow's input and the
 * registration writes it to the read model; until then (a busy worker) the workflow's copy
 * answers, so a token works as soon as the receipt is out.
 */
export async function trackingTokenMatches(
  db: Database,
  suggestionId: string,
  token: string | undefined,
  hashInWorkflow: () => Promise<string | null | undefined>,
): Promise<boolean> {
  if (!token) return false;
  const stored = (await db.trackingToken.findUnique({ where: { suggestionId } }))?.hash ?? (await hashInWorkflow());
  if (!stored) return false;
  // As typed for a token given out before the grouped format; its canonical form for one since.
  return trackingTokenForms(token).some((form) => timingSafeEqual(Buffer.from(hashToken(form), 'hex'), Buffer.from(stored, 'hex')));
}
