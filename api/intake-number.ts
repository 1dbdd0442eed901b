import { createHash, randomBytes } from 'node:crypto';
import { trackingNumber } from '../domain/tracking-number';

/**
 * The tracking number's candidates for a submission, in order: a number another suggestion already
 * holds is passed over for the next. Under an Idempotency-Key they follow from the key alone (the
 * first as it always was), so a retry walks the same sequence to the same number; without one,
 * each is drawn at random from `draw`.
 */
export function intakeNumber(receivedOn: string, attempt: number, idempotencyKey?: string, draw: () => Buffer = drawRandom): string {
  const entropy = idempotencyKey ? createHash('sha256').update(`intake:${idempotencyKey}${attempt ? `#${attempt}` : ''}`).digest() : draw();
  return trackingNumber(receivedOn, entropy);
}

/** Four random bytes: 30 of their bits make the six characters of a number drawn without a key. */
export function drawRandom(): Buffer {
  return randomBytes(4);
}
