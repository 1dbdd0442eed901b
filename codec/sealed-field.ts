import type { KeyRing } from './key-ring';

// One text value encrypted for a column of PostgreSQL: `aes-gcm:<key id>:<base64>`. The context
// (table, column and row) is authenticated, so a value copied to another row or column fails to
// open instead of passing as someone else's.

const scheme = 'aes-gcm';

export function sealField(keys: KeyRing, value: string, context: string): string {
  const sealed = keys.seal(Buffer.from(value, 'utf8'), context);
  return `${scheme}:${sealed.keyId}:${Buffer.from(sealed.bytes).toString('base64')}`;
}

export function openField(keys: KeyRing, stored: string, context: string): string {
  const [prefix, keyId, data, extra] = stored.split(':');
  if (prefix !== scheme || !keyId || !data || extra !== undefined) throw new Error(`a sealed value is malformed (${context})`);
  return keys.open({ keyId, bytes: Buffer.from(data, 'base64') }, context).toString('utf8');
}

/** The key a stored value was sealed with; undefined for a value that is not sealed. */
export function sealedKeyId(stored: string): string | undefined {
  const [prefix, keyId] = stored.split(':');
  return prefix === scheme ? keyId : undefined;
}
