import type { DataConverter } from '@temporalio/common';
import type { KeyRing } from './key-ring';
import { EncryptionCodec } from './payload-codec';

/**
 * The data converter of every worker and client of the suggestion workflows: the default
 * conversion to JSON, then encryption; failure messages and stack traces are encrypted too
 * (they can quote the data an activity was working on).
 */
export function encryptedDataConverter(keys: KeyRing): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keys)],
    failureConverterPath: failureConverterPath,
  };
}

/**
 * The worker's data converter: as the clients', and a payload that is not sealed with the ring is
 * refused (codec/payload-codec.ts `refuseUnsealed`) and reported, never handed to a workflow as it came.
 */
export function workerDataConverter(keys: KeyRing, refuseUnsealed: (why: string) => void): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keys, { refuseUnsealed })],
    failureConverterPath: failureConverterPath,
  };
}

/** Also given to the workflow bundler, so failures raised inside workflows are encrypted alike. */
export const failureConverterPath = require.resolve('./failure-converter');
