import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StaffRole } from '../../domain/vocabulary';

/** A person who signs in to the workbench through the development identity provider. */
export interface DevUser {
  username: string;
  password: string;
  name: string;
  role: StaffRole;
  department?: string;
}

const roles: { username: string; name: string; role: StaffRole }[] = [
  { username: 'office', name: '征集办 王敏 (development)', role: 'office' },
  { username: 'supervisor', name: '督查室 李强 (development)', role: 'supervisor' },
  { username: 'admin', name: '系统管理员 (development)', role: 'admin' },
  { username: 'intake', name: '受理员 张洁 (development)', role: 'intake' },
];

export const devUsersFile = (dataDir: string) => join(dataDir, 'dev-users.json');

/**
 * Development sign-ins: one for each role, and a department officer for every department, each
 * with a password generated for this data folder and kept there (readable by its owner only), so
 * they survive restarts and are never committed. A department added later gets its officer on the
 * next start; existing passwords stay.
 */
export function ensureDevUsers(dataDir: string, departments: { code: string; name: string }[]): DevUser[] {
  const file = devUsersFile(dataDir);
  const kept: DevUser[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  const byName = new Map(kept.map((u) => [u.username, u]));
  const password = () => randomBytes(12).toString('base64url');
  const wanted: Omit<DevUser, 'password'>[] = [
    ...roles,
    ...departments.map((d) => ({ username: d.code, name: `${d.name} 办理人员 (development)`, role: 'department' as const, department: d.code })),
  ];
  const users = wanted.map((u) => ({ ...u, password: byName.get(u.username)?.password ?? password() }));
  writeFileSync(file, JSON.stringify(users, null, 2), { mode: 0o600 });
  return users;
}

export function readDevUsers(dataDir: string): DevUser[] {
  return JSON.parse(readFileSync(devUsersFile(dataDir), 'utf8'));
}
