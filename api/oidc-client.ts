import * as oidc from 'openid-client';

// The staff workbench as a relying party of the city's identity provider (OpenID Connect):
// authorization code with PKCE, refresh, and RP-initiated logout, with panva's openid-client
// (certified, maintained, standards-only). The provider is found by discovery
// (/.well-known/openid-configuration) the first time it is needed, and again after a failure.

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The workbench's public base URL; the callback is `${publicUrl}/staff/callback`. */
  publicUrl: string;
  scope: string;
  /** RFC 8707 resource indicator to ask tokens for, when the provider needs one to pick the API's audience. */
  resource?: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** When the access token expires. */
  expiresAt: Date;
}

/** What a sign-in in progress keeps between the redirect to the provider and the callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

/** Reads the settings from OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, WORKBENCH_URL, OIDC_SCOPE and OIDC_RESOURCE; none without an issuer. */
export function oidcSettingsFromEnv(env: Record<string, string | undefined>, port: number): OidcSettings | undefined {
  if (!env.OIDC_ISSUER) return undefined;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID ?? 'suggestion-chain-workbench',
    clientSecret: env.OIDC_CLIENT_SECRET,
    publicUrl: (env.WORKBENCH_URL ?? `http://127.0.0.1:${port}`).replace(/\/$/, ''),
    scope: env.OIDC_SCOPE ?? 'openid profile offline_access',
    resource: env.OIDC_RESOURCE,
  };
}

export class OidcClient {
  private config?: Promise<oidc.Configuration>;

  constructor(readonly settings: OidcSettings) {}

  get redirectUri(): string {
    return `${this.settings.publicUrl}/staff/callback`;
  }

  private configuration(): Promise<oidc.Configuration> {
    this.config ??= oidc
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        this.settings.clientSecret,
        this.settings.clientSecret ? oidc.ClientSecretBasic(this.settings.clientSecret) : oidc.None(),
        {
          // Plain http only for a provider on this machine (npm start's); the city's is https.
          execute: loopbackHttp(this.settings.issuer) ? [oidc.allowInsecureRequests] : [],
        },
      )
      .catch((err: unknown) => {
        this.config = undefined;
        throw err;
      });
    return this.config;
  }

  /** Where to send the browser to sign in, and what to keep until it comes back. */
  async startSignIn(returnTo: string, lang: 'zh' | 'en'): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, returnTo };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ui_locales: lang === 'en' ? 'en' : 'zh-CN',
      ...(this.settings.resource ? { resource: this.settings.resource } : {}),
    });
    return { url, pending };
  }

  /** Exchanges the code the provider sent back (checking state, nonce and PKCE) for tokens. */
  async finishSignIn(callbackUrl: URL, pending: PendingSignIn): Promise<TokenSet> {
    const config = await this.configuration();
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callbackUrl,
      { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
      this.settings.resource ? { resource: this.settings.resource } : undefined,
    );
    return tokenSet(tokens);
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    const config = await this.configuration();
    const tokens = await oidc.refreshTokenGrant(config, refreshToken, this.settings.resource ? { resource: this.settings.resource } : undefined);
    return { ...tokenSet(tokens), refreshToken: tokens.refresh_token ?? refreshToken };
  }

  /** The provider's sign-out page for this session, or undefined when the provider has none. */
  async signOutUrl(idToken: string | undefined): Promise<URL | undefined> {
    const config = await this.configuration().catch(() => undefined);
    if (!config?.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: `${this.settings.publicUrl}/staff/signed-out`,
      ...(idToken ? { id_token_hint: idToken } : { client_id: this.settings.clientId }),
    });
  }
}

function tokenSet(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): TokenSet {
  const seconds = tokens.expiresIn() ?? 300;
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, idToken: tokens.id_token, expiresAt: new Date(Date.now() + seconds * 1000) };
}

function loopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
