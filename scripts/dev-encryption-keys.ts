import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyRing } from '../codec';

interface StoredKey {
  id: string;
  key: string;
}

/**
 * The development encryption key of one machine, generated once into the data folder (readable
 * only by its owner) so workflows and stored proposer details stay readable across restarts.
 * Returns it in the form ENCRYPTION_KEYS takes. A deployment sets ENCRYPTION_KEYS instead.
 */
export function ensureDevEncryptionKeys(dataDir: string): string {
  const file = join(dataDir, 'encryption-keys.json');
  const keys: StoredKey[] = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : [{ id: `dev-${new Date().toISOString().slice(0, 10)}`, key: KeyRing.generateKey().toString('base64') }];
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  const spec = keys.map((k) => `${k.id}=${k.key}`).join(',');
  KeyRing.parse(spec); // a hand-edited file that is not a valid ring fails here, not in the worker
  return spec;
}
