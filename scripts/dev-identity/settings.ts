import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The development identity provider's secrets, generated once per data folder and kept there. */
export interface DevIdentitySettings {
  clientId: string;
  clientSecret: string;
  /** The provider's private signing key (a JWK); its public half is served at /jwks. */
  signingKey: Record<string, unknown>;
  /** Keys that sign the provider's own cookies. */
  cookieKeys: string[];
}

export const devClientId = 'suggestion-chain-workbench';

export function ensureDevIdentitySettings(dataDir: string): DevIdentitySettings {
  const file = join(dataDir, 'dev-identity.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: `dev-${randomBytes(4).toString('hex')}` };
  const settings: DevIdentitySettings = {
    clientId: devClientId,
    clientSecret: randomBytes(24).toString('base64url'),
    signingKey,
    cookieKeys: [randomBytes(24).toString('base64url')],
  };
  writeFileSync(file, JSON.stringify(settings, null, 2), { mode: 0o600 });
  return settings;
}
