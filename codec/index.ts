import { KeyRing } from './key-ring';

export { KeyRing, cipherName, type Sealed } from './key-ring';
export { EncryptionCodec, encryptedEncoding, keyIdMetadata, isEncrypted, unsealedMarker } from './payload-codec';
export { encryptedDataConverter, failureConverterPath, workerDataConverter } from './data-converter';
export { sealField, openField, sealedKeyId } from './sealed-field';
export { sealProposer, openProposer, resealDataKey, dataKeyRingId, type PersonalDetails, type StoredDataKey } from './proposer-details';
export { decryptHistory } from './history';

/** The key ring from configuration; the API and the worker refuse to start without one. */
export function keyRingFromConfig(config: { ENCRYPTION_KEYS?: string; ENCRYPTION_KEY_ID?: string }): KeyRing {
  if (!config.ENCRYPTION_KEYS) {
    throw new Error("ENCRYPTION_KEYS is not set: the proposer's details are never stored unencrypted (npm start generates a development key)");
  }
  return KeyRing.parse(config.ENCRYPTION_KEYS, config.ENCRYPTION_KEY_ID);
}
