import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './key-ring';
import { EncryptionCodec, isEncrypted } from './payload-codec';

type History = temporal.api.history.v1.IHistory;

/**
 * A copy of a workflow history with every encrypted payload (inputs, results, memos, failure
 * details) decrypted, e.g. to keep it for replay tests, which must not depend on a key that
 * exists only for one run. The history itself is left as it is.
 */
export async function decryptHistory(history: History, keys: KeyRing): Promise<History> {
  const codec = new EncryptionCodec(keys);
  const copy = temporal.api.history.v1.History.decode(temporal.api.history.v1.History.encode(history).finish());
  const visit = async (node: unknown): Promise<void> => {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    for (const [key, value] of Object.entries(node)) {
      if (isPayload(value) && isEncrypted(value)) (node as Record<string, unknown>)[key] = (await codec.decode([value]))[0];
      else await visit(value);
    }
  };
  await visit(copy);
  return copy;
}

function isPayload(value: unknown): value is Payload {
  return value !== null && typeof value === 'object' && 'metadata' in value && 'data' in value;
}
