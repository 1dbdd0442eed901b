import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { ProposerDetails, SealedProposer } from '../domain/intake';
import type { KeyRing } from './key-ring';
import { openField, sealField, sealedKeyId } from './sealed-field';

// The proposer's identity and contact details (建议人信息保密) are sealed at intake with a data key
// of their own, one per submission, and only that ciphertext travels: in the workflow's input (so
// in Temporal's history), in activity arguments, in the proposers row of PostgreSQL. The data key
// is kept apart, sealed with the key ring, in proposer_keys. Erasing the proposer destroys the
// data key: every copy of the details, the history's included, is then unreadable, with or
// without the ring. A key rotation re-seals the data keys only.

const personalFields = ['name', 'phone', 'email', 'address'] as const;
type PersonalField = (typeof personalFields)[number];
export type PersonalDetails = Pick<ProposerDetails, PersonalField>;

const scheme = 'dk';
const ivBytes = 12;
const tagBytes = 16;
const detailsContext = (keyId: string) => `proposer-details:${keyId}`;
const dataKeyContext = (keyId: string) => `proposer-key:${keyId}`;

/** A data key, sealed with the ring, as proposer_keys keeps it. */
export interface StoredDataKey {
  id: string;
  key: string;
}

/**
 * Seals a submission's details with a new data key. Returns what travels with the suggestion and
 * the data key to keep (sealed with the ring); without details (a web suggestion answered online)
 * nothing personal is sealed, and the key is still made, so that every suggestion reads alike.
 */
export function sealProposer(keys: KeyRing, details: ProposerDetails): { proposer: SealedProposer; dataKey: StoredDataKey } {
  const id = randomUUID();
  const dataKey = randomBytes(32);
  const personal: PersonalDetails = Object.fromEntries(personalFields.filter((f) => details[f] !== undefined).map((f) => [f, details[f]]));
  const sealed = Object.keys(personal).length > 0 ? sealWith(dataKey, JSON.stringify(personal), detailsContext(id)) : null;
  return {
    proposer: { replyChannel: details.replyChannel, keyId: id, details: sealed },
    dataKey: { id, key: sealField(keys, dataKey.toString('base64'), dataKeyContext(id)) },
  };
}

/** The proposer's details in clear, for the staff and the notifier that need them; null once erased (no data key). */
export function openProposer(keys: KeyRing, proposer: { keyId: string; details: string | null }, dataKey: StoredDataKey | null): PersonalDetails | null {
  if (!dataKey) return null;
  if (proposer.details === null) return {};
  const key = Buffer.from(openField(keys, dataKey.key, dataKeyContext(dataKey.id)), 'base64');
  return JSON.parse(openWith(key, proposer.details, detailsContext(proposer.keyId))) as PersonalDetails;
}

/** The ring key a data key is sealed with (for an operator told which key is missing). */
export function dataKeyRingId(dataKey: StoredDataKey): string | undefined {
  return sealedKeyId(dataKey.key);
}

/**
 * The data key sealed anew with the ring's current key, or undefined when it already is: after a
 * key rotation, so the old key can leave the ring. The details themselves are not touched.
 */
export function resealDataKey(keys: KeyRing, dataKey: StoredDataKey): string | undefined {
  if (sealedKeyId(dataKey.key) === keys.currentKeyId) return undefined;
  return sealField(keys, openField(keys, dataKey.key, dataKeyContext(dataKey.id)), dataKeyContext(dataKey.id));
}

function sealWith(key: Buffer, text: string, context: string): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `${scheme}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')}`;
}

function openWith(key: Buffer, sealed: string, context: string): string {
  const [prefix, data, extra] = sealed.split(':');
  if (prefix !== scheme || !data || extra !== undefined) throw new Error(`the proposer's details are malformed (${context})`);
  const bytes = Buffer.from(data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivBytes), { authTagLength: tagBytes });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
  return Buffer.concat([decipher.update(bytes.subarray(ivBytes, bytes.length - tagBytes)), decipher.final()]).toString('utf8');
}
