import type { z } from 'zod';
import { submitSuggestionSchema, type SubmitSuggestion } from './intake';
import type { CsvRecord } from './csv';
import type { CityProfile } from './profile';

// A 12345 hotline export as the hotline's desk hands it over: one call per row, registered after
// the fact as hotline suggestions. Each row becomes exactly what intake staff would have typed
// into POST /v1/suggestions, or is rejected with the reasons a clerk can fix.

/** The columns of the export, by their English name and the Chinese header the hotline's system writes. */
export const hotlineColumns = {
  work_order: { header: '工单编号', required: true },
  received_at: { header: '受理时间', required: true },
  title: { header: '标题', required: true },
  content: { header: '内容', required: true },
  category: { header: '类别', required: true },
  district: { header: '所属区', required: true },
  phone: { header: '来电号码', required: true },
  caller_name: { header: '来电人', required: false },
  reply_channel: { header: '答复方式', required: false },
  publish_consent: { header: '同意公开', required: false },
} as const;

export type HotlineColumn = keyof typeof hotlineColumns;

/** Where each column sits in the file, from its header row. */
export type ColumnMap = Partial<Record<HotlineColumn, number>>;

export interface HeaderReading {
  columns: ColumnMap;
  /** Header names the import does not use (the export's other columns): ignored. */
  ignored: string[];
  /** Required columns the header lacks: the file cannot be imported. */
  missing: HotlineColumn[];
}

export function readHeader(header: string[]): HeaderReading {
  const columns: ColumnMap = {};
  const ignored: string[] = [];
  header.forEach((raw, index) => {
    const name = raw.trim();
    const column = (Object.keys(hotlineColumns) as HotlineColumn[]).find((c) => c === name.toLowerCase() || hotlineColumns[c].header === name);
    if (column && columns[column] === undefined) columns[column] = index;
    else ignored.push(name);
  });
  const missing = (Object.keys(hotlineColumns) as HotlineColumn[]).filter((c) => hotlineColumns[c].required && columns[c] === undefined);
  return { columns, ignored, missing };
}

export interface HotlineCall {
  line: number;
  workOrder: string;
  suggestion: SubmitSuggestion;
}

export interface RejectedRow {
  line: number;
  workOrder: string;
  reasons: string[];
}

const consentWords: Record<string, boolean> = {
  '': false,
  yes: true,
  no: false,
  true: true,
  false: false,
  '1': true,
  '0': false,
  是: true,
  否: false,
  y: true,
  n: false,
};

/** The hotline writes local Shanghai time without an offset ("2026-11-20 09:15" or with seconds). */
const localTime = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/;

function receivedAtOf(value: string): string {
  const local = localTime.exec(value);
  return local ? `${local[1]}T${local[2]}${local[3] ?? ':00'}+08:00` : value;
}

/** The body of the intake request a row stands for, before validation. */
function intakeBody(cell: (c: HotlineColumn) => string, reasons: string[]): Record<string, unknown> {
  const consent = consentWords[cell('publish_consent').toLowerCase()];
  if (consent === undefined) reasons.push(`publish_consent: "${cell('publish_consent')}" is not yes/no (是/否)`);
  return {
    channel: 'hotline',
    title: cell('title'),
    content: cell('content'),
    category: cell('category'),
    district: cell('district'),
    receivedAt: receivedAtOf(cell('received_at')),
    proposer: {
      // An empty cell is a detail the caller did not give.
      ...(cell('caller_name') ? { name: cell('caller_name') } : {}),
      ...(cell('phone') ? { phone: cell('phone') } : {}),
      replyChannel: cell('reply_channel') || 'phone',
    },
    publishConsent: consent ?? false,
    source: { workOrder: cell('work_order') },
  };
}

/** The column a validation error is about, named as in the file. */
const columnOfPath: Record<string, HotlineColumn> = {
  title: 'title',
  content: 'content',
  category: 'category',
  district: 'district',
  receivedAt: 'received_at',
  'proposer.name': 'caller_name',
  'proposer.phone': 'phone',
  'proposer.replyChannel': 'reply_channel',
  'source.workOrder': 'work_order',
};

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.');
  return `${columnOfPath[path] ?? path}: ${issue.message}`;
}

/**
 * Turns every data row into a call to register or a rejection; a work order seen before is
 * rejected. The category and the district are the city's (its profile): an unknown or retired one
 * is rejected here, with its column, rather than by the API one call at a time.
 */
export function readCalls(records: CsvRecord[], columns: ColumnMap, profile: CityProfile): { calls: HotlineCall[]; rejected: RejectedRow[] } {
  const calls: HotlineCall[] = [];
  const rejected: RejectedRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of records) {
    const cell = (c: HotlineColumn) => (columns[c] === undefined ? '' : (record.fields[columns[c]!] ?? '').trim());
    const workOrder = cell('work_order');
    const reasons: string[] = [];
    const body = intakeBody(cell, reasons);
    const parsed = submitSuggestionSchema.safeParse(body);
    if (!parsed.success) reasons.push(...parsed.error.issues.map(describeIssue));
    for (const column of ['category', 'district'] as const) {
      const value = cell(column);
      const problem = value && !reasons.some((r) => r.startsWith(`${column}:`)) ? profile.codeProblem(column, value, true) : null;
      if (problem) reasons.push(`${column}: ${problem}`);
    }
    const earlier = firstLineOf.get(workOrder);
    if (workOrder && earlier !== undefined) reasons.push(`work_order: ${workOrder} already appears on line ${earlier}`);
    if (workOrder && earlier === undefined) firstLineOf.set(workOrder, record.line);
    if (reasons.length > 0 || !parsed.success) rejected.push({ line: record.line, workOrder, reasons });
    else calls.push({ line: record.line, workOrder, suggestion: parsed.data });
  }
  return { calls, rejected };
}
