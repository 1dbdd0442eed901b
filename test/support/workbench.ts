import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet } from 'jose';
import type { Page } from 'playwright-core';
import { jwtVerifier } from '../../api/auth';
import { OidcClient } from '../../api/oidc-client';
import { StaffSessions } from '../../api/staff-sessions';
import { loadProfileFile } from '../../profiles';
import { ensureDevIdentitySettings } from '../../scripts/dev-identity/settings';
import { ensureDevUsers, type DevUser } from '../../scripts/dev-identity/users';
import { freePort } from '../../scripts/provision/ports';
import { pollUntil } from '../../scripts/provision/process';
import { startServiceProcess, type ServiceProcess } from './service-process';
import { startStack, type Stack, type StackOptions } from './stack';

// The workbench's stack for a test file: the test run's PostgreSQL and Temporal, a worker, the API
// with the workbench signing in through npm start's development identity provider (oidc-provider,
// as its own process, with users and secrets in a data folder of the test's own).

export const testAudience = 'urn:suggestion-chain:api';

export interface WorkbenchStack {
  stack: Stack;
  /** The workbench's (and the API's) address. */
  baseUrl: string;
  issuer: string;
  users: DevUser[];
  user(role: string, department?: string): DevUser;
  stop(): Promise<void>;
}

export async function startWorkbenchStack(options: StackOptions & { accessTokenTtl?: number } = {}): Promise<WorkbenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'workbench-idp-'));
  const [apiPort, idpPort] = [await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  const issuer = `http://127.0.0.1:${idpPort}`;
  const users = ensureDevUsers(dataDir, loadProfileFile().profile.document.departments);
  const settings = ensureDevIdentitySettings(dataDir);
  const provider: ServiceProcess = startServiceProcess('scripts/dev-identity-provider.ts', {
    OIDC_DEV_ISSUER: issuer,
    WORKBENCH_URL: baseUrl,
    DATA_DIR: dataDir,
    AUTH_TOKEN_AUDIENCE: testAudience,
    ...(options.accessTokenTtl ? { OIDC_DEV_ACCESS_TOKEN_TTL: String(options.accessTokenTtl) } : {}),
  });
  // tsx compiles the provider's process on start: on a busy machine that alone can take half a minute.
  await pollUntil('the development identity provider', async () => ((await fetch(`${issuer}/.well-known/openid-configuration`)).ok ? true : undefined), {
    timeoutMs: 120_000,
  });
  const verifyToken = jwtVerifier({ issuer, audience: testAudience, key: createRemoteJWKSet(new URL(`${issuer}/jwks`)) });
  const oidc = new OidcClient({
    issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    publicUrl: baseUrl,
    scope: 'openid profile offline_access',
  });
  const stack = await startStack({
    ...options,
    port: apiPort,
    context: (db, keys) => ({ verifyToken, staffSessions: new StaffSessions(db, keys, oidc, verifyToken), ...options.context?.(db, keys) }),
  });
  return {
    stack,
    baseUrl,
    issuer,
    users,
    user: (role, department) => users.find((u) => u.role === role && (department === undefined || u.department === department))!,
    async stop() {
      await stack.stop();
      await provider.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the workbench: its sign-in leads to the identity provider's form, which leads back. */
export async function signIn(page: Page, baseUrl: string, user: DevUser, path = '/staff/', lang: 'zh' | 'en' = 'zh'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel(lang === 'zh' ? '用户名' : 'Username').fill(user.username);
  await page.getByLabel(lang === 'zh' ? '密码' : 'Password').fill(user.password);
  await page.getByRole('button', { name: lang === 'zh' ? '登录' : 'Sign in' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${baseUrl}/staff/`) && !url.pathname.startsWith('/staff/callback'));
}

export const axeSource = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
