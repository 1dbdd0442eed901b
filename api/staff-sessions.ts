import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { openField, sealField, type KeyRing } from '../codec';
import { shanghaiDate } from '../domain/calendar';
import type { StaffRole } from '../domain/vocabulary';
import type { Database } from '../prisma/client';
import type { TokenVerifier } from './auth';
import type { OidcClient, TokenSet } from './oidc-client';
import type { StaffIdentity } from './staff-identity';

// Server-side sessions of the staff workbench (staff_sessions). The browser holds only a random
// value (HttpOnly, SameSite=Lax so the provider's redirect back carries the sign-in cookie,
// Secure over https); the row is found by its SHA-256 and holds the provider's tokens sealed with
// the key ring. A request acts with the session's access token, refreshed with the refresh token
// once it expires; when that fails, the member of staff signs in again. The Temporal UI's codec
// requests carry the same cookie (api/codec-session.ts).

export const staffSessionCookie = 'staff_session';

/** A sign-in lasts until the end of the day it began, midnight in Shanghai, and at least an hour. */
export function signInEndsAt(now: Date): Date {
  const midnight = new Date(new Date(`${shanghaiDate(now)}T00:00:00+08:00`).getTime() + 86_400_000);
  return new Date(Math.max(midnight.getTime(), now.getTime() + 3_600_000));
}

export interface StaffSession {
  id: string;
  subject: string;
  label: string;
  role: StaffRole;
  departmentCode?: string;
  expiresAt: Date;
}

interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
}

/** Refreshing this long before the access token expires, so a request never arrives with a dying one. */
const refreshMarginMs = 30_000;

export class StaffSessions {
  private readonly refreshing = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly db: Database,
    private readonly keys: KeyRing,
    readonly oidc: OidcClient,
    private readonly verify: TokenVerifier,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Cookies are Secure when the workbench is served over https. */
  get secure(): boolean {
    return this.oidc.settings.publicUrl.startsWith('https:');
  }

  /** Opens a session for the tokens of a completed sign-in; undefined when the token names no staff role the API accepts. */
  async start(res: Response, tokens: TokenSet): Promise<StaffSession | undefined> {
    const identity = await this.verify(tokens.accessToken);
    if (!identity) return undefined;
    const value = randomBytes(32).toString('base64url');
    const id = digest(value);
    const expiresAt = signInEndsAt(this.now());
    const row = {
      id,
      subject: identity.keyId,
      label: identity.label,
      role: identity.role,
      departmentCode: identity.departmentCode ?? null,
      tokens: this.seal(id, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, idToken: tokens.idToken }),
      accessExpiresAt: tokens.expiresAt,
      expiresAt,
    };
    await this.db.staffSession.create({ data: row });
    // Old sessions go as new ones come: no timer needed to keep the table small.
    await this.db.staffSession.deleteMany({ where: { expiresAt: { lt: this.now() } } });
    res.cookie(staffSessionCookie, value, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', expires: expiresAt });
    return { id, subject: row.subject, label: row.label, role: identity.role, departmentCode: identity.departmentCode, expiresAt };
  }

  /** The session the request's cookie names, while it lasts. */
  async fromRequest(req: Request): Promise<StaffSession | undefined> {
    const value = cookieValue(req.header('cookie'), staffSessionCookie);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return undefined;
    const row = await this.db.staffSession.findUnique({ where: { id: digest(value) } });
    if (!row || row.expiresAt <= this.now()) return undefined;
    return {
      id: row.id,
      subject: row.subject,
      label: row.label,
      role: row.role as StaffRole,
      departmentCode: row.departmentCode ?? undefined,
      expiresAt: row.expiresAt,
    };
  }

  /**
   * A valid access token for the session: the kept one while it lasts, else a refreshed one;
   * undefined when the provider refuses the refresh (or there is none): sign in again.
   */
  async accessToken(session: StaffSession): Promise<string | undefined> {
    const row = await this.db.staffSession.findUnique({ where: { id: session.id } });
    if (!row) return undefined;
    const tokens = this.open(row.id, row.tokens);
    if (row.accessExpiresAt.getTime() - refreshMarginMs > this.now().getTime()) return tokens.accessToken;
    if (!tokens.refreshToken) return undefined;
    // One refresh per session at a time: a rotated refresh token can be used once.
    let pending = this.refreshing.get(row.id);
    if (!pending) {
      pending = this.refresh(row.id, tokens).finally(() => this.refreshing.delete(row.id));
      this.refreshing.set(row.id, pending);
    }
    return pending;
  }

  private async refresh(id: string, tokens: StoredTokens): Promise<string | undefined> {
    let fresh: TokenSet;
    try {
      fresh = await this.oidc.refresh(tokens.refreshToken!);
    } catch {
      return undefined;
    }
    await this.db.staffSession.update({
      where: { id },
      data: {
        tokens: this.seal(id, { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, idToken: fresh.idToken ?? tokens.idToken }),
        accessExpiresAt: fresh.expiresAt,
      },
    });
    return fresh.accessToken;
  }

  /** Who the session acts for, checked from its (refreshed) access token as the API checks a bearer token. */
  async identity(session: StaffSession): Promise<StaffIdentity | undefined> {
    const token = await this.accessToken(session);
    return token ? this.verify(token) : undefined;
  }

  /** Ends the session the request carries; returns its ID token for the provider's sign-out. */
  async end(req: Request, res: Response): Promise<string | undefined> {
    res.clearCookie(staffSessionCookie, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' });
    const session = await this.fromRequest(req);
    if (!session) return undefined;
    const row = await this.db.staffSession.findUnique({ where: { id: session.id } });
    await this.db.staffSession.deleteMany({ where: { id: session.id } });
    return row ? this.open(row.id, row.tokens).idToken : undefined;
  }

  /** The session's anti-forgery token: every form of the workbench carries it, every POST is checked against it. */
  csrfToken(session: StaffSession): string {
    return createHmac('sha256', this.keys.derive('workbench-csrf')).update(session.id).digest('base64url');
  }

  checkCsrf(session: StaffSession, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const expected = Buffer.from(this.csrfToken(session));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Seals a short-lived value for a cookie (the sign-in in progress), bound to its purpose. */
  sealValue(purpose: string, value: unknown): string {
    return Buffer.from(sealField(this.keys, JSON.stringify(value), purpose)).toString('base64url');
  }

  openValue<T>(purpose: string, sealed: string | undefined): T | undefined {
    if (!sealed) return undefined;
    try {
      return JSON.parse(openField(this.keys, Buffer.from(sealed, 'base64url').toString(), purpose)) as T;
    } catch {
      return undefined;
    }
  }

  private seal(id: string, tokens: StoredTokens): string {
    return sealField(this.keys, JSON.stringify(tokens), `staff-session:${id}`);
  }

  private open(id: string, sealed: string): StoredTokens {
    return JSON.parse(openField(this.keys, sealed, `staff-session:${id}`)) as StoredTokens;
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
