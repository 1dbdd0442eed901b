import type { Payload } from '@temporalio/common';
import { openProposer, type KeyRing, type StoredDataKey } from '../codec';
import { trackingNumberPattern } from '../domain/tracking-number';
import type { StaffRole } from '../domain/vocabulary';

// What of a decoded workflow payload a member of staff may see in the Temporal UI. The payload
// codec opens the envelope; the proposer inside it stays sealed with their own data key
// (codec/proposer-details.ts). The office and administrators, the custodians of the proposer's
// details, see them opened (or "erased" once the data key is destroyed); everyone else sees that
// they are redacted.

/** The roles that may see a proposer's details; the codec redacts them for every other role. */
export const proposerCustodians: readonly StaffRole[] = ['office', 'admin'];

const decoder = new TextDecoder();
const encoder = new TextEncoder();

interface SealedProposerShape {
  replyChannel: string;
  keyId: string;
  details: string | null;
  wrappedKey?: string;
}

const isSealedProposer = (v: unknown): v is SealedProposerShape =>
  v !== null &&
  typeof v === 'object' &&
  typeof (v as SealedProposerShape).keyId === 'string' &&
  'details' in v &&
  typeof (v as SealedProposerShape).replyChannel === 'string';

export interface Disclosure {
  payloads: Payload[];
  /** The tracking numbers the payloads name, for the record of who read what. */
  suggestionIds: string[];
}

/**
 * The decoded payloads as `role` may see them: each JSON payload is walked, a sealed proposer
 * replaced by their details (custodians; null data key: erased) or by a redaction (anyone else),
 * and the tracking numbers it names collected. Payloads that are not JSON pass as they are.
 */
export async function disclose(
  keys: KeyRing,
  payloads: Payload[],
  role: StaffRole,
  dataKey: (keyId: string) => Promise<StoredDataKey | null>,
): Promise<Disclosure> {
  const suggestionIds = new Set<string>();
  const custodian = proposerCustodians.includes(role);
  const shown: Payload[] = [];
  for (const payload of payloads) {
    const encoding = payload.metadata?.encoding ? decoder.decode(payload.metadata.encoding) : '';
    if (encoding !== 'json/plain' || !payload.data) {
      shown.push(payload);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(payload.data));
    } catch {
      shown.push(payload);
      continue;
    }
    const visit = async (node: unknown): Promise<unknown> => {
      if (Array.isArray(node)) return Promise.all(node.map(visit));
      if (node === null || typeof node !== 'object') {
        if (typeof node === 'string' && trackingNumberPattern.test(node)) suggestionIds.add(node);
        return node;
      }
      if (isSealedProposer(node)) {
        if (!custodian) return { replyChannel: node.replyChannel, redacted: "the proposer's details are shown to the collection office only" };
        const opened = openProposer(keys, node, await dataKey(node.keyId));
        return opened === null ? { replyChannel: node.replyChannel, erased: true } : { replyChannel: node.replyChannel, ...opened };
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = await visit(v);
      return out;
    };
    const visible = await visit(value);
    shown.push({ ...payload, data: encoder.encode(JSON.stringify(visible)) });
  }
  return { payloads: shown, suggestionIds: [...suggestionIds] };
}
