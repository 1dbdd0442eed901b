import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CityProfile } from '../domain/profile';
import { parseProfileFile } from '../domain/profile-file';

// The city profiles shipped with the service, one YAML file a city. CITY_PROFILE chooses one by
// name (`hangzhou`) or names a file of a city's own (`/etc/suggestion-chain/suzhou.yaml`).

export const defaultProfile = 'shanghai';

/** The names of the shipped profiles. */
export function shippedProfiles(): string[] {
  return readdirSync(__dirname)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** The file a profile name or path stands for. */
export function profilePath(nameOrPath: string = process.env.CITY_PROFILE || defaultProfile): string {
  return /^[a-z][a-z0-9_-]*$/.test(nameOrPath) ? join(__dirname, `${nameOrPath}.yaml`) : resolve(nameOrPath);
}

/** Reads and validates a profile file; a mistake names its line (domain/profile-file.ts). */
export function loadProfileFile(nameOrPath?: string): { profile: CityProfile; path: string } {
  const path = profilePath(nameOrPath);
  if (!existsSync(path))
    throw new Error(`CITY_PROFILE: there is no city profile at ${path}; the shipped ones are ${shippedProfiles().join(', ')}, or give a file's path`);
  return { profile: parseProfileFile(readFileSync(path, 'utf8'), path), path };
}
