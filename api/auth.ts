import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { StaffRole } from '../domain/vocabulary';
import type { Database } from '../prisma/client';
import { Problem } from './problem';

export interface StaffIdentity {
  keyId: string;
  label: string;
  role: StaffRole;
  departmentCode?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    staff?: StaffIdentity;
  }
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Reads `Authorization: Bearer <key>` (or `X-Api-Key`) when present; anonymous requests pass on. */
export function identifyStaff(db: Database): RequestHandler {
  return async (req, _res, next) => {
    const header = req.header('authorization');
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.header('x-api-key');
    if (!key) return next();
    const found = await db.apiKey.findUnique({ where: { hash: hashApiKey(key) } });
    if (!found || found.revokedAt) return next(new Problem(401, 'unauthenticated', 'Unknown API key', 'the API key is unknown or revoked'));
    req.staff = { keyId: found.id, label: found.label, role: found.role as StaffRole, departmentCode: found.departmentCode ?? undefined };
    next();
  };
}

/** Only staff of these roles may pass. */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.staff) return next(new Problem(401, 'unauthenticated', 'Authentication required', 'this endpoint needs a staff API key'));
    if (!roles.includes(req.staff.role)) {
      return next(new Problem(403, 'forbidden', 'Not allowed', `the ${req.staff.role} role may not do this; allowed: ${roles.join(', ')}`));
    }
    next();
  };
}
