import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// AES-256-GCM with a ring of named keys. New data is sealed with the current key and carries
// that key's id; every key in the ring still opens what it sealed, so a key can be rotated by
// adding a new current key and dropping the old one only once nothing sealed with it remains.

const ivBytes = 12;
const tagBytes = 16;
const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export const cipherName = 'AES-256-GCM';

export interface Sealed {
  keyId: string;
  /** iv ‖ ciphertext ‖ authentication tag */
  bytes: Uint8Array;
}

export class KeyRing {
  private constructor(
    readonly currentKeyId: string,
    private readonly keys: ReadonlyMap<string, Buffer>,
  ) {}

  /** A ring from `id=base64key` entries; the current key is `currentKeyId`, else the first entry. */
  static fromEntries(entries: readonly (readonly [string, Buffer])[], currentKeyId?: string): KeyRing {
    if (entries.length === 0) throw new Error('the key ring needs at least one key');
    const keys = new Map<string, Buffer>();
    for (const [id, key] of entries) {
      if (!keyIdPattern.test(id)) throw new Error(`key id "${id}" must be 1–64 letters, digits, dots, dashes or underscores`);
      if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes (AES-256), not ${key.length}`);
      if (keys.has(id)) throw new Error(`key id "${id}" appears twice`);
      keys.set(id, key);
    }
    const current = currentKeyId ?? entries[0]![0];
    if (!keys.has(current)) throw new Error(`the current key "${current}" is not in the key ring`);
    return new KeyRing(current, keys);
  }

  /**
   * Parses `ENCRYPTION_KEYS`: comma-separated `id=base64` pairs, e.g.
   * `2026-11=q3…=,2026-05=Zm…=`; `ENCRYPTION_KEY_ID` names the current key (default: the first).
   */
  static parse(spec: string, currentKeyId?: string): KeyRing {
    const entries = spec
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part): [string, Buffer] => {
        const eq = part.indexOf('=');
        if (eq <= 0 || eq === part.length - 1) throw new Error('ENCRYPTION_KEYS is a comma-separated list of id=base64key');
        return [part.slice(0, eq).trim(), Buffer.from(part.slice(eq + 1).trim(), 'base64')];
      });
    return KeyRing.fromEntries(entries, currentKeyId);
  }

  static generateKey(): Buffer {
    return randomBytes(32);
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** Encrypts with the current key; `context` is authenticated, so ciphertext moved elsewhere fails to open. */
  seal(plaintext: Uint8Array, context = ''): Sealed {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv, { authTagLength: tagBytes });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.currentKeyId, bytes: Buffer.concat([iv, body, cipher.getAuthTag()]) };
  }

  open(sealed: Sealed, context = ''): Buffer {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`no key "${sealed.keyId}" in the key ring (was it removed before its data was re-encrypted?)`);
    const bytes = Buffer.from(sealed.bytes);
    if (bytes.length < ivBytes + tagBytes) throw new Error('the ciphertext is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivBytes), { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
    return Buffer.concat([decipher.update(bytes.subarray(ivBytes, bytes.length - tagBytes)), decipher.final()]);
  }

  /**
   * A key for another purpose (e.g. signing sessions), derived from one of the ring's keys; derived
   * once per key and purpose (intake derives the tracking-token key on every request). Callers only
   * read it.
   */
  derive(purpose: string, keyId = this.currentKeyId): Buffer {
    const name = `${keyId}\0${purpose}`;
    let derived = this.derived.get(name);
    if (!derived) {
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`no key "${keyId}" in the key ring`);
      derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `suggestion-chain ${purpose}`, 32));
      this.derived.set(name, derived);
    }
    return derived;
  }

  private readonly derived = new Map<string, Buffer>();
}
