import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from '../../codec';
import { ensureDevEncryptionKeys } from '../../scripts/dev-encryption-keys';

// `npm start` without ENCRYPTION_KEYS: one development key per data folder, kept across restarts.

const dir = mkdtempSync(join(tmpdir(), 'dev-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a development key is generated once into the data folder, readable only by its owner, and reused', () => {
  const first = ensureDevEncryptionKeys(dir);
  const file = join(dir, 'encryption-keys.json');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(KeyRing.parse(first).currentKeyId).toMatch(/^dev-\d{4}-\d{2}-\d{2}$/);
  expect(ensureDevEncryptionKeys(dir)).toBe(first);
  expect(readFileSync(file, 'utf8')).toContain(KeyRing.parse(first).currentKeyId);
});
