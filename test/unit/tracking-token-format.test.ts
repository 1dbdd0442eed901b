import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { newTrackingToken, trackingTokenFor, trackingTokenMatches } from '../../api/tracking-token';
import { KeyRing } from '../../codec';
import { canonicalTrackingToken, formatTrackingToken, trackingTokenAlphabet, trackingTokenForms } from '../../domain/tracking-token-format';
import type { Database } from '../../prisma/client';

// The tracking token as a person keeps it: four groups of five characters that cannot be mistaken
// for one another, read back in any case, with or without dashes and spaces; tokens given out
// before this format still open their suggestions.

const written = /^[2-9A-HJKMNP-Z]{5}(-[2-9A-HJKMNP-Z]{5}){3}$/;

test('a token is four groups of five characters with no 0, O, 1, l or I', () => {
  expect(trackingTokenAlphabet).toHaveLength(31);
  expect(trackingTokenAlphabet).not.toMatch(/[01OIL]/);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 32 }), (secret) => {
      const token = formatTrackingToken(secret);
      expect(token).toMatch(written);
      expect(canonicalTrackingToken(token)).toBe(token.replace(/-/g, ''));
    }),
  );
  expect(() => formatTrackingToken(new Uint8Array(15))).toThrow(RangeError);
  expect(new Set(Array.from({ length: 1000 }, () => formatTrackingToken(randomBytes(16)))).size).toBe(1000);
});

test('a token is read back in any case, with or without dashes, with spaces, in full-width characters', () => {
  const token = 'K7QX2-M9HPA-3RTWE-YB8NC';
  for (const typed of [
    'K7QX2-M9HPA-3RTWE-YB8NC',
    'k7qx2-m9hpa-3rtwe-yb8nc',
    'K7QX2M9HPA3RTWEYB8NC',
    ' k7qx2 m9hpa 3rtwe yb8nc ',
    'K7QX2–M9HPA—3RTWE－YB8NC',
    'Ｋ７ＱＸ２　Ｍ９ＨＰＡ　３ＲＴＷＥ　ＹＢ８ＮＣ',
  ]) {
    expect([typed, canonicalTrackingToken(typed)]).toEqual([typed, token.replace(/-/g, '')]);
  }
  for (const wrong of ['K7QX2-M9HPA-3RTWE-YB8N', 'K7QX2-M9HPA-3RTWE-YB8NCC', 'K7QX2-M9HPA-3RTWE-YB8N0', 'K7QX2-M9HPA-3RTWE-YB8NI', '', 'not a token']) {
    expect([wrong, canonicalTrackingToken(wrong)]).toEqual([wrong, undefined]);
  }
  // A token of the earlier format (base64url, case-sensitive) is checked as it was typed.
  expect(trackingTokenForms(' kq3_x-Ab0lIO9zZz1aBcDeFgH ')).toEqual(['kq3_x-Ab0lIO9zZz1aBcDeFgH']);
  expect(trackingTokenForms('k7qx2 m9hpa 3rtwe yb8nc')).toEqual(['K7QX2M9HPA3RTWEYB8NC', 'k7qx2 m9hpa 3rtwe yb8nc']);
});

/** A read model holding one suggestion's token hash. */
function holding(hash: string): Database {
  return { trackingToken: { findUnique: async () => ({ hash }) } } as unknown as Database;
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('the token given at intake is written in groups and opens the suggestion however it is typed back; a token of the earlier format still does', async () => {
  const fresh = newTrackingToken();
  expect(fresh.token).toMatch(written);
  const keys = KeyRing.parse(`k1=${randomBytes(32).toString('base64')}`);
  const retried = trackingTokenFor(keys, 'public:abc\nform-key-1', 'JY-20261201-7K3QXM');
  expect(retried.token).toMatch(written);
  expect(trackingTokenFor(keys, 'public:abc\nform-key-1', 'JY-20261201-7K3QXM')).toEqual(retried);

  const none = async () => null;
  for (const typed of [fresh.token, fresh.token.toLowerCase(), fresh.token.replace(/-/g, ' '), fresh.token.replace(/-/g, '')]) {
    await expect(trackingTokenMatches(holding(fresh.hash), 'JY-20261201-7K3QXM', typed, none)).resolves.toBe(true);
  }
  await expect(trackingTokenMatches(holding(fresh.hash), 'JY-20261201-7K3QXM', newTrackingToken().token, none)).resolves.toBe(false);
  await expect(trackingTokenMatches(holding(fresh.hash), 'JY-20261201-7K3QXM', '', none)).resolves.toBe(false);

  const earlier = randomBytes(18).toString('base64url');
  await expect(trackingTokenMatches(holding(sha256(earlier)), 'JY-20261201-7K3QXM', earlier, none)).resolves.toBe(true);
  await expect(
    trackingTokenMatches(holding(sha256(earlier)), 'JY-20261201-7K3QXM', earlier.toUpperCase() === earlier ? `${earlier}x` : earlier.toUpperCase(), none),
  ).resolves.toBe(false);
});
