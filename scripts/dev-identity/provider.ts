import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { loginPage, messagePage } from './pages';
import type { DevUser } from './users';

// A standards-compliant OpenID provider (panva's oidc-provider) for `npm start`, standing in for
// the city's identity provider: authorization code with PKCE, refresh tokens, RP-initiated
// logout, and JWT access tokens for the API's audience carrying the `role` and `department`
// claims the API reads (api/auth.ts). Only its login page is the project's own: users and their
// passwords come from the data folder (users.ts). Consent is implied for the one first-party
// client, the workbench.

export interface DevIdentityProviderOptions {
  issuer: string;
  /** The API's audience: access tokens are issued for it (AUTH_TOKEN_AUDIENCE). */
  audience: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  signingKey: Record<string, unknown>;
  cookieKeys: string[];
  users: DevUser[];
  /** Seconds an access token is valid (default 15 minutes; the workbench refreshes it). */
  accessTokenTtl?: number;
}

/** The scope the API's resource server grants: acting as the signed-in member of staff. */
export const staffScope = 'staff';

export function createDevIdentityProvider(opts: DevIdentityProviderOptions): {
  provider: Provider;
  handle: (req: IncomingMessage, res: ServerResponse) => void;
} {
  const users = new Map(opts.users.map((u) => [u.username, u]));
  const claimsOf = (u: DevUser) => ({ name: u.name, role: u.role, ...(u.department ? { department: u.department } : {}) });

  const configuration: Configuration = {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        client_name: '人民建议征集 工作台 · Staff workbench',
        redirect_uris: opts.redirectUris,
        post_logout_redirect_uris: opts.postLogoutRedirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        // The provider signs with one elliptic-curve key (settings.ts).
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [opts.signingKey as never] },
    cookies: { keys: opts.cookieKeys },
    // PKCE for every client, confidential ones too (OAuth 2.0 Security BCP).
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'offline_access', staffScope],
    claims: { openid: ['sub'], profile: ['name', 'role', 'department'] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = messagePage(
            '退出登录 · Sign out',
            `<p>确定退出统一身份认证？<span lang="en">Sign out of the identity provider?</span></p>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">退出 <span lang="en">Sign out</span></button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = messagePage('已退出 · Signed out', '<p>您已退出。<span lang="en">You are signed out.</span></p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        // A request that names no resource is for the API: its tokens are JWTs the API verifies.
        defaultResource: async () => opts.audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== opts.audience) throw new errors.InvalidTarget();
          return {
            scope: staffScope,
            audience: opts.audience,
            accessTokenTTL: opts.accessTokenTtl ?? 900,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    extraTokenClaims: async (_ctx, token) => {
      const user = 'accountId' in token && typeof token.accountId === 'string' ? users.get(token.accountId) : undefined;
      return user ? claimsOf(user) : undefined;
    },
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...claimsOf(user) }) };
    },
    // Refresh tokens for the workbench without asking for offline access: it signs in for the day.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // The workbench is the city's own: no consent screen, the grant is implied at sign-in.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) {
        const grant = await ctx.oidc.provider.Grant.find(existing);
        if (grant) return grant;
      }
      if (client.clientId !== opts.clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile offline_access');
      grant.addOIDCClaims(['name', 'role', 'department']);
      grant.addResourceScope(opts.audience, staffScope);
      await grant.save();
      return grant;
    },
    ttl: { Session: 14 * 3600, Interaction: 600, Grant: 14 * 3600, IdToken: 3600, RefreshToken: 14 * 3600, AuthorizationCode: 60 },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = messagePage('登录出错 · Sign-in error', `<p role="alert">${escape(String(out.error))}: ${escape(String(out.error_description ?? ''))}</p>`);
    },
  };

  const provider = new Provider(opts.issuer, configuration);
  const callbackOrigins = [...new Set(opts.redirectUris.map((u) => new URL(u).origin))].join(' ');
  const oidc = provider.callback();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', opts.issuer);
    const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (!match) return void oidc(req, res);
    interaction(req, res, url).catch((err: unknown) => {
      res.statusCode = err instanceof errors.SessionNotFound ? 400 : 500;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        messagePage(
          '登录出错 · Sign-in error',
          '<p role="alert">登录已过期，请从工作台重新登录。<span lang="en">This sign-in has expired: start again from the workbench.</span></p>',
        ),
      );
    });
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, url: URL) {
    const details = await provider.interactionDetails(req, res);
    const send = (status: number, page: string) => {
      res.statusCode = status;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      // A signed-in form is redirected on to the client's callback: form-action must allow its origin too.
      res.setHeader(
        'content-security-policy',
        `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${callbackOrigins}; frame-ancestors 'none'; base-uri 'none'`,
      );
      res.end(page);
    };
    const lang = url.searchParams.get('lang') === 'en' || details.params.ui_locales === 'en' ? 'en' : 'zh';
    if (req.method === 'GET') return send(200, loginPage({ action: url.pathname, lang }));
    if (req.method !== 'POST') return send(405, messagePage('Method not allowed', ''));
    const form = new URLSearchParams(await readBody(req));
    const username = (form.get('username') ?? '').trim();
    const user = users.get(username);
    if (!user || !samePassword(user.password, form.get('password') ?? '')) {
      return send(401, loginPage({ action: url.pathname, lang, username, error: true }));
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
  }

  return { provider, handle };
}

function samePassword(expected: string, given: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) req.destroy(new Error('form too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
