import { createHmac, randomBytes } from 'node:crypto';
import type { KeyRing } from '../codec';
import { trackingNumber } from '../domain/tracking-number';

/**
 * The tracking number's candidates for a submission, in order: a number another suggestion already
 * holds is passed over for the next. Under an Idempotency-Key they follow from `keyed` (keyedDraws:
 * the caller's scope and key under a server secret), so a retry walks the same sequence to the same
 * number; without one, each is drawn at random from `draw`.
 */
export function intakeNumber(receivedOn: string, attempt: number, keyed?: (attempt: number) => Buffer, draw: () => Buffer = drawRandom): string {
  return trackingNumber(receivedOn, keyed ? keyed(attempt) : draw());
}

/**
 * The candidates' bytes for a key scoped to its caller (`scopedKey`, intake.ts): keyed with a secret
 * derived from the key ring, so nobody outside the service can tell which numbers a caller's key
 * leads to, or take them first.
 */
export function keyedDraws(keys: KeyRing, scopedKey: string): (attempt: number) => Buffer {
  const secret = keys.derive('tracking-number');
  return (attempt) => createHmac('sha256', secret).update(`intake:${scopedKey}#${attempt}`).digest();
}

/** Four random bytes: 30 of their bits make the six characters of a number drawn without a key. */
export function drawRandom(): Buffer {
  return randomBytes(4);
}
