import type { ProposerDetails } from '../domain/intake';
import type { KeyRing } from './key-ring';
import { openField, sealField, sealedKeyId } from './sealed-field';

// The proposer's identity and contact details (建议人信息保密) live in their own table, apart from
// the suggestion text, and each value is encrypted by the application before PostgreSQL sees it.

const personalFields = ['name', 'phone', 'email'] as const;
type PersonalField = (typeof personalFields)[number];

const context = (suggestionId: string, field: PersonalField) => `proposers.${field}:${suggestionId}`;

/** The proposers row to write: personal data sealed, the reply channel (not personal) in clear. */
export function sealProposerDetails(keys: KeyRing, suggestionId: string, details: ProposerDetails) {
  const sealed = (field: PersonalField) => {
    const value = details[field];
    return value === undefined ? null : sealField(keys, value, context(suggestionId, field));
  };
  return { suggestionId, name: sealed('name'), phone: sealed('phone'), email: sealed('email'), replyChannel: details.replyChannel };
}

export interface StoredProposer {
  suggestionId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  replyChannel: string;
}

/** The proposer's details in clear, for the staff and the notifier that need them. */
export function openProposerDetails(keys: KeyRing, row: Pick<StoredProposer, 'suggestionId' | PersonalField>): Pick<ProposerDetails, PersonalField> {
  const opened: Partial<Record<PersonalField, string>> = {};
  for (const field of personalFields) {
    const stored = row[field];
    if (stored !== null) opened[field] = openField(keys, stored, context(row.suggestionId, field));
  }
  return opened;
}

/**
 * The row's personal fields sealed anew with the current key, or undefined when every field
 * already uses it: after a key rotation, so the old key can leave the ring.
 */
export function resealProposerDetails(keys: KeyRing, row: Pick<StoredProposer, 'suggestionId' | PersonalField>): Pick<StoredProposer, PersonalField> | undefined {
  const stale = personalFields.some((field) => row[field] !== null && sealedKeyId(row[field]!) !== keys.currentKeyId);
  if (!stale) return undefined;
  const opened = openProposerDetails(keys, row);
  const sealed = (field: PersonalField) => (opened[field] === undefined ? null : sealField(keys, opened[field]!, context(row.suggestionId, field)));
  return { name: sealed('name'), phone: sealed('phone'), email: sealed('email') };
}
