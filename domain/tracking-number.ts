// Crockford base32 without I, L, O, U: easy to read aloud on the phone.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A tracking number such as `JY-20261126-7K3QXM`: the day of receipt (Shanghai) and six
 * characters taken from `entropy` (random bytes, or a hash of the Idempotency-Key so a retried
 * submission gets the same number and therefore the same workflow).
 */
export function trackingNumber(receivedOn: string, entropy: Uint8Array): string {
  if (entropy.length < 4) throw new RangeError('tracking numbers need at least 4 bytes of entropy');
  let bits = 0n;
  for (const byte of entropy.subarray(0, 4)) bits = (bits << 8n) | BigInt(byte);
  let suffix = '';
  for (let i = 0; i < 6; i++) {
    suffix = alphabet[Number(bits % 32n)] + suffix;
    bits /= 32n;
  }
  return `JY-${receivedOn.replaceAll('-', '')}-${suffix}`;
}

export const trackingNumberPattern = /^JY-\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/;

export function workflowIdFor(trackingNumber: string): string {
  return `suggestion-${trackingNumber}`;
}
