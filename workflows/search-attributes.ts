import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes of every suggestion workflow, for supervisors' filters in the
// Temporal Web UI. Budget on the dev server (SQLite visibility): 10 Keyword, 3 Datetime, 3 Bool.
export const SuggestionStatus = defineSearchAttributeKey('SuggestionStatus', SearchAttributeType.KEYWORD);
export const Department = defineSearchAttributeKey('Department', SearchAttributeType.KEYWORD);
export const District = defineSearchAttributeKey('District', SearchAttributeType.KEYWORD);
export const Category = defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD);
export const Channel = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const CampaignId = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const DueAt = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
export const Overdue = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
/** DueAt is counted through a year whose holiday schedule is still a forecast (corrected when it is published). */
export const DueAtProvisional = defineSearchAttributeKey('DueAtProvisional', SearchAttributeType.BOOL);

export const allSearchAttributes = [SuggestionStatus, Department, District, Category, Channel, CampaignId, DueAt, Overdue, DueAtProvisional];

/** `Name=Type` pairs as `temporal server start-dev --search-attribute` takes them. */
export function searchAttributeFlags(): string[] {
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', BOOL: 'Bool' };
  return allSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
