// The tracking token (查询码) as a person keeps it: written on paper, read out over the phone to
// the 12345 hotline, typed again on a phone's keyboard. Twenty characters of an alphabet with no
// look-alikes (no 0/O, no 1/l/I), in four groups of five, e.g. `K7QX2-M9HPA-3RTWE-YB8NC`. Whatever
// the person types back is accepted in any case, with or without the dashes, with spaces, in the
// full-width characters of a Chinese keyboard. How the secret behind a token is made is not this
// module's business (api/tracking-token.ts); this is only how it is written and read.

/** Digits 2–9 and the Latin capitals without I, L and O: 31 characters no one confuses. */
export const trackingTokenAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const trackingTokenGroups = 4;
export const trackingTokenGroupLength = 5;
export const trackingTokenLength = trackingTokenGroups * trackingTokenGroupLength;
/** The fewest bytes of secret a token is written from: 128 bits, more than the token's 99 bits hold. */
export const trackingTokenSecretBytes = 16;

const base = BigInt(trackingTokenAlphabet.length);
const values = base ** BigInt(trackingTokenLength);
const canonicalPattern = new RegExp(`^[${trackingTokenAlphabet}]{${trackingTokenLength}}$`);
/** Spaces (any width) and dashes of every kind a keyboard or a word processor makes. */
const separators = /[\s\u2010-\u2015\u2212\uff0d_-]+/g;

/**
 * The token written from a secret of at least 16 bytes. The secret, as one number, is reduced
 * to the 31^20 tokens there are; with 128 bits or more the tokens are equally likely to within
 * one part in 10^8.
 */
export function formatTrackingToken(secret: Uint8Array): string {
  if (secret.length < trackingTokenSecretBytes) throw new RangeError(`a tracking token is written from at least ${trackingTokenSecretBytes} bytes`);
  let n = 0n;
  for (const byte of secret) n = (n << 8n) | BigInt(byte);
  n %= values;
  let canonical = '';
  for (let i = 0; i < trackingTokenLength; i++) {
    canonical = trackingTokenAlphabet[Number(n % base)] + canonical;
    n /= base;
  }
  return groupTrackingToken(canonical);
}

/** The canonical form in groups for reading: `K7QX2M9HPA…` → `K7QX2-M9HPA-…`. */
export function groupTrackingToken(canonical: string): string {
  const groups: string[] = [];
  for (let i = 0; i < canonical.length; i += trackingTokenGroupLength) groups.push(canonical.slice(i, i + trackingTokenGroupLength));
  return groups.join('-');
}

/**
 * What a person typed, as the token's canonical form (twenty capitals and digits, no separators),
 * or undefined when it cannot be a token of this format.
 */
export function canonicalTrackingToken(typed: string): string | undefined {
  const canonical = typed.normalize('NFKC').replace(separators, '').toUpperCase();
  return canonicalPattern.test(canonical) ? canonical : undefined;
}

/**
 * The forms under which a typed token may have been issued, to be checked in turn: its
 * canonical form, and the text exactly as typed (trimmed) for the tokens given out before this
 * format, which were case-sensitive base64url.
 */
export function trackingTokenForms(typed: string): string[] {
  const canonical = canonicalTrackingToken(typed);
  const asTyped = typed.trim();
  return [...new Set([...(canonical ? [canonical] : []), ...(asTyped ? [asTyped] : [])])];
}
