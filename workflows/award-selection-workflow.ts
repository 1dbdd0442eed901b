import { rankOutstandingSuggestions } from './campaign-activities';

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/**
 * The yearly selection of outstanding suggestions (优秀人民建议), started by its Schedule each
 * December (or by the office for a given year): ranks the year's adopted suggestions by the
 * documented score and gives the office the shortlist to nominate and award from.
 */
export async function awardSelectionWorkflow(year?: number): Promise<{ year: number; candidates: number }> {
  return rankOutstandingSuggestions(year ?? new Date(Date.now() + SHANGHAI_OFFSET_MS).getUTCFullYear());
}
