import './dev-identity/quiet';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createDevIdentityProvider } from './dev-identity/provider';
import { ensureDevIdentitySettings } from './dev-identity/settings';
import { readDevUsers } from './dev-identity/users';

// The development identity provider as its own process (npm start runs it beside the API):
// OIDC_DEV_ISSUER (its URL, e.g. http://127.0.0.1:3100), AUTH_TOKEN_AUDIENCE (the API's
// audience), WORKBENCH_URL (where the workbench's callback is), DATA_DIR (users and secrets).

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`the development identity provider needs ${name}`);
  return value;
}

const issuer = required('OIDC_DEV_ISSUER');
const workbench = required('WORKBENCH_URL').replace(/\/$/, '');
const dataDir = resolve(required('DATA_DIR'));
const settings = ensureDevIdentitySettings(dataDir);
const { handle } = createDevIdentityProvider({
  issuer,
  audience: required('AUTH_TOKEN_AUDIENCE'),
  clientId: settings.clientId,
  clientSecret: settings.clientSecret,
  redirectUris: [`${workbench}/staff/callback`],
  postLogoutRedirectUris: [`${workbench}/staff/signed-out`],
  signingKey: settings.signingKey,
  cookieKeys: settings.cookieKeys,
  users: readDevUsers(dataDir),
  accessTokenTtl: process.env.OIDC_DEV_ACCESS_TOKEN_TTL ? Number(process.env.OIDC_DEV_ACCESS_TOKEN_TTL) : undefined,
});
const url = new URL(issuer);
const server = createServer(handle);
server.listen(Number(url.port || 80), url.hostname, () => console.log(JSON.stringify({ level: 30, msg: 'identity provider listening', issuer })));
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
