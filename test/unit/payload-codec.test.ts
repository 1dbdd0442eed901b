import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, encodeErrorToFailure, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { EncryptionCodec, KeyRing, encryptedDataConverter, isEncrypted, keyIdMetadata, openField, sealField } from '../../codec';

// The payload codec and the sealed PostgreSQL fields on their own: what leaves the process is
// ciphertext naming its key, it opens only with that key and only unchanged, and a rotated ring
// still opens what the old key sealed.

const proposer = { name: 'Wang Fang', phone: '13800000001', email: 'wang.fang@example.cn' };
const ring = (...ids: string[]) => KeyRing.fromEntries(ids.map((id) => [id, KeyRing.generateKey()] as const));
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('latin1');

test('an encoded payload is ciphertext that names its key and decodes to the original payload', async () => {
  const codec = new EncryptionCodec(ring('k1'));
  const original = defaultPayloadConverter.toPayload({ title: 'Bus stop', proposer });
  const [encoded] = await codec.encode([original]);

  expect(isEncrypted(encoded!)).toBe(true);
  expect(text(encoded!.metadata![keyIdMetadata])).toBe('k1');
  const everything = text(encoded!.data) + Object.values(encoded!.metadata!).map(text).join('');
  for (const secret of Object.values(proposer)) expect(everything).not.toContain(secret);
  // The original encoding (json/plain) is inside the ciphertext, not beside it.
  expect(everything).not.toContain('json/plain');

  const [decoded] = await codec.decode([encoded!]);
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ title: 'Bus stop', proposer });
  expect(text(decoded!.metadata!.encoding)).toBe('json/plain');
});

test('the same payload encrypts differently every time (a fresh nonce per payload)', async () => {
  const codec = new EncryptionCodec(ring('k1'));
  const payload = defaultPayloadConverter.toPayload(proposer);
  const [a, b] = await codec.encode([payload, payload]);
  expect(Buffer.compare(Buffer.from(a!.data!), Buffer.from(b!.data!))).not.toBe(0);
});

test('a tampered payload is refused instead of decoding to something else', async () => {
  const codec = new EncryptionCodec(ring('k1'));
  const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(proposer)]);
  const data = Buffer.from(encoded!.data!);
  data[20] = data[20]! ^ 0x01;
  await expect(codec.decode([{ ...encoded!, data }])).rejects.toThrow();
});

test('after rotation new payloads use the new key and old payloads still decode; without the old key they cannot', async () => {
  const oldKey = KeyRing.generateKey();
  const before = KeyRing.fromEntries([['2026-05', oldKey]]);
  const [sealedBefore] = await new EncryptionCodec(before).encode([defaultPayloadConverter.toPayload(proposer)]);

  const rotated = KeyRing.fromEntries([
    ['2026-11', KeyRing.generateKey()],
    ['2026-05', oldKey],
  ]);
  const codec = new EncryptionCodec(rotated);
  const [sealedAfter] = await codec.encode([defaultPayloadConverter.toPayload(proposer)]);
  expect(text(sealedAfter!.metadata![keyIdMetadata])).toBe('2026-11');
  const decoded = await codec.decode([sealedBefore!, sealedAfter!]);
  expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([proposer, proposer]);

  const oldKeyDropped = new EncryptionCodec(KeyRing.fromEntries([['2026-11', KeyRing.generateKey()]]));
  await expect(oldKeyDropped.decode([sealedBefore!])).rejects.toThrow(/no key "2026-05"/);
});

test('payloads written without encryption pass through decoding unchanged', async () => {
  const plain: Payload = defaultPayloadConverter.toPayload('Yangpu');
  const [decoded] = await new EncryptionCodec(ring('k1')).decode([plain]);
  expect(decoded).toBe(plain);
});

test('ENCRYPTION_KEYS is parsed strictly, and the current key can be named', () => {
  const a = KeyRing.generateKey().toString('base64');
  const b = KeyRing.generateKey().toString('base64');
  expect(KeyRing.parse(`new=${a}, old=${b}`).currentKeyId).toBe('new');
  expect(KeyRing.parse(`new=${a},old=${b}`, 'old').currentKeyId).toBe('old');
  expect(() => KeyRing.parse(`k=${Buffer.alloc(16).toString('base64')}`)).toThrow(/32 bytes/);
  expect(() => KeyRing.parse(`k=${a},k=${b}`)).toThrow(/twice/);
  expect(() => KeyRing.parse(`k=${a}`, 'other')).toThrow(/not in the key ring/);
  expect(() => KeyRing.parse(a)).toThrow(/id=base64key/);
  expect(() => KeyRing.parse('')).toThrow(/at least one key/);
});

test('a sealed database field opens only in its own row and column', () => {
  const keys = ring('k1');
  const stored = sealField(keys, proposer.phone, 'proposers.phone:JY-20261127-AAAAAA');
  expect(stored).toMatch(/^aes-gcm:k1:/);
  expect(stored).not.toContain(proposer.phone);
  expect(openField(keys, stored, 'proposers.phone:JY-20261127-AAAAAA')).toBe(proposer.phone);
  expect(() => openField(keys, stored, 'proposers.phone:JY-20261127-BBBBBB')).toThrow();
  expect(() => openField(keys, stored, 'proposers.email:JY-20261127-AAAAAA')).toThrow();
});

test('failure messages and stack traces travel encrypted, and the data converter restores them', async () => {
  const converter = loadDataConverter(encryptedDataConverter(ring('k1')));
  const error = ApplicationFailure.nonRetryable(`no contact for ${proposer.phone}`, 'Undeliverable');
  const failure = await encodeErrorToFailure(converter, error);

  expect(failure.message).toBe('Encoded failure');
  expect(failure.stackTrace).toBe('');
  expect(isEncrypted(failure.encodedAttributes!)).toBe(true);
  expect(JSON.stringify(failure)).not.toContain(proposer.phone);
  expect((await decodeOptionalFailureToOptionalError(converter, failure))?.message).toBe(`no contact for ${proposer.phone}`);
});
