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

/** What a worker is handed in place of a payload it refuses: a request without the proof workflows require. */
export const unsealedMarker = '$unsealed';

export interface CodecOptions {
  /**
   * The worker's side: a payload not sealed with the ring (plaintext, another key, tampered) is not
   * passed on as it came but as `{ "$unsealed": why }`, which carries none of the proof the
   * workflows require (workflows/issued-for.ts), and is reported. Anyone who reaches the Temporal
   * frontend without the key can then send nothing a workflow acts on.
   */
  refuseUnsealed?: (why: string) => void;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keys: KeyRing,
    private readonly opts: CodecOptions = {},
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const sealed = this.keys.seal(temporal.api.common.v1.Payload.encode(payload).finish(), payloadContext);
      return {
        metadata: { encoding: text(encryptedEncoding), [keyIdMetadata]: text(sealed.keyId), [cipherMetadata]: text(cipherName) },
        data: sealed.bytes,
      };
    });
  }

  /** Payloads that are not encrypted pass as they are, unless this is a worker's codec (`refuseUnsealed`). */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const refuse = this.opts.refuseUnsealed;
      if (!isEncrypted(payload)) return refuse ? refused(refuse, 'the payload is not encrypted') : payload;
      try {
        const keyId = decoder.decode(payload.metadata![keyIdMetadata] ?? new Uint8Array());
        const plain = this.keys.open({ keyId, bytes: payload.data ?? new Uint8Array() }, payloadContext);
        return temporal.api.common.v1.Payload.decode(plain) as Payload;
      } catch (err) {
        if (!refuse) throw err;
        return refused(refuse, `the payload does not open: ${(err as Error).message}`);
      }
    });
  }
}

function refused(report: (why: string) => void, why: string): Payload {
  report(why);
  return { metadata: { encoding: text('json/plain') }, data: text(JSON.stringify({ [unsealedMarker]: why })) };
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && decoder.decode(encoding) === encryptedEncoding;
}
