import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { KeyRing } from '../codec';
import type { StaffRole } from '../domain/vocabulary';
import type { Database } from '../prisma/client';
import { Problem } from './problem';
import { signInEndsAt, type StaffSessions } from './staff-sessions';

// A browser session for the codec endpoint only. The Temporal UI cannot send an API key, but it
// can send cookies with its codec requests ("include cross-origin credentials"): a staff member
// signs in once with their key, and the UI's requests then carry this cookie. The cookie names
// the API key, so revoking the key ends the session; it is signed with a key derived from the
// encryption key ring and never holds the API key itself. A member of staff signed in to the
// workbench needs none of this: the workbench's session cookie (staff-sessions.ts) is sent too.

export const sessionCookie = 'codec_session';
const purpose = 'codec-session';

function mac(keys: KeyRing, keyId: string, body: string): Buffer {
  return createHmac('sha256', keys.derive(purpose, keyId)).update(body).digest();
}

/** Sets the session cookie for the API key `apiKeyId`, valid until the end of the day in Shanghai (signInEndsAt); returns when it expires. */
export function startSession(res: Response, keys: KeyRing, apiKeyId: string, now = new Date()): Date {
  const expires = Math.floor(signInEndsAt(now).getTime() / 1000);
  const body = `${keys.currentKeyId}.${Buffer.from(apiKeyId).toString('base64url')}.${expires}`;
  const value = `${body}.${mac(keys, keys.currentKeyId, body).toString('base64url')}`;
  // Strict: sent only from pages of the same site, i.e. the Temporal UI on this host, never from elsewhere.
  res.cookie(sessionCookie, value, { httpOnly: true, sameSite: 'strict', path: '/codec', expires: new Date(expires * 1000) });
  return new Date(expires * 1000);
}

export function endSession(res: Response): void {
  res.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'strict', path: '/codec' });
}

/** The API key id a valid, unexpired cookie names; undefined for anything else. */
export function sessionKeyId(keys: KeyRing, cookie: string, now = new Date()): string | undefined {
  const parts = cookie.split('.');
  if (parts.length !== 4) return undefined;
  const [ringKeyId, encodedKeyId, expires, signature] = parts as [string, string, string, string];
  if (!keys.has(ringKeyId) || Number(expires) * 1000 <= now.getTime()) return undefined;
  const expected = mac(keys, ringKeyId, `${ringKeyId}.${encodedKeyId}.${expires}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return Buffer.from(encodedKeyId, 'base64url').toString();
}

/**
 * Identifies staff from a session cookie when the request carries no key or token of its own:
 * the codec sign-in's, or the workbench's (its access token checked like a bearer token).
 */
export function identifyBySession(db: Database, keys: KeyRing, staffSessions?: StaffSessions): RequestHandler {
  return async (req, _res, next) => {
    const cookie = cookieValue(req.header('cookie'), sessionCookie);
    if (req.staff) return next();
    if (cookie === undefined) {
      const session = await staffSessions?.fromRequest(req);
      if (!session) return next();
      const identity = await staffSessions!.identity(session);
      if (!identity) return next(new Problem(401, 'unauthenticated', 'Session ended', 'the workbench sign-in has ended: sign in to the workbench again'));
      req.staff = identity;
      return next();
    }
    const apiKeyId = sessionKeyId(keys, cookie);
    const found = apiKeyId ? await db.apiKey.findUnique({ where: { id: apiKeyId } }) : null;
    if (!found || found.revokedAt)
      return next(new Problem(401, 'unauthenticated', 'Session ended', 'the codec session is expired, invalid or its API key revoked: sign in again'));
    req.staff = { keyId: found.id, label: found.label, role: found.role as StaffRole, departmentCode: found.departmentCode ?? undefined };
    next();
  };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
