import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where downloaded and built tools live. Outside the repository on purpose: a fresh clone
 * (CI, a second worktree) reuses what an earlier run built, so only the first run pays minutes.
 */
export function cacheDir(): string {
  const dir = process.env.SUGGESTION_CHAIN_CACHE ? resolve(process.env.SUGGESTION_CHAIN_CACHE) : join(homedir(), '.cache', 'suggestion-chain');
  mkdirSync(dir, { recursive: true });
  return dir;
}
