import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { cipherName, type KeyRing } from './key-ring';

// Everything the worker and the API hand to Temporal (workflow input with the proposer's details,
// activity arguments, query and update results, memos, failure messages) is encrypted before it
// leaves the process; the Temporal server and anyone reading its history see only ciphertext.
// Search attributes are not payloads the codec sees: they must never carry personal data.

export const encryptedEncoding = 'binary/encrypted';
export const keyIdMetadata = 'encryption-key-id';
const cipherMetadata = 'encryption-cipher';
/** Authenticated with every payload, so a payload sealed for another purpose never opens as one. */
const payloadContext = 'temporal-payload';

const text = (s: string) => new TextEncoder().encode(s);
const decoder = new TextDecoder();

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const sealed = this.keys.seal(temporal.api.common.v1.Payload.encode(payload).finish(), payloadContext);
      return {
        metadata: { encoding: text(encryptedEncoding), [keyIdMetadata]: text(sealed.keyId), [cipherMetadata]: text(cipherName) },
        data: sealed.bytes,
      };
    });
  }

  /** Payloads that are not encrypted (e.g. written before encryption was turned on) pass as they are. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload;
      const keyId = decoder.decode(payload.metadata![keyIdMetadata] ?? new Uint8Array());
      const plain = this.keys.open({ keyId, bytes: payload.data ?? new Uint8Array() }, payloadContext);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && decoder.decode(encoding) === encryptedEncoding;
}
