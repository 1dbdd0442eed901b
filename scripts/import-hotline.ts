import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { csvField, CsvSyntaxError, parseCsv, type CsvRecord } from '../domain/csv';
import { readCalls, readHeader, type HotlineCall, type RejectedRow } from '../domain/hotline-import';
import { parseProfile, type CityProfile } from '../domain/profile';
import { loadProfileFile } from '../profiles';
import { fail, runCommand } from './command-line';
import { intakeClient, type IntakeClient } from './intake-client';
import { progressBar } from './progress-bar';

// `npm run import-hotline -- <export.csv>`: registers the calls of a 12345 hotline export as
// hotline suggestions through the API, as intake staff (key in SUGGESTION_CHAIN_API_KEY).
//
// Safe to run again: each row's work order is its Idempotency-Key, so a row already registered
// lands on the same suggestion; rows listed in the receipts file are not sent at all, so their
// tracking tokens stay valid. Rejected rows go to a file of their own, with the reason, for the
// desk to correct and import again.

const usage = `usage:
  SUGGESTION_CHAIN_API_KEY=<intake key> npm run import-hotline -- <export.csv>
      [--api http://localhost:3000] [--receipts <file>] [--rejects <file>] [--concurrency 4] [--dry-run]

  Columns (English name or the hotline's Chinese header): work_order 工单编号, received_at 受理时间,
  title 标题, content 内容, category 类别, district 所属区, phone 来电号码; optional caller_name 来电人,
  reply_channel 答复方式 (default phone), publish_consent 同意公开 (yes/no, 是/否).
  Exit code: 0 every row registered (or already), 3 some rows rejected, 2 usage or unreadable file, 1 failure.`;

const someRowsRejected = 3;

interface Receipt {
  workOrder: string;
  trackingNumber: string;
  trackingToken: string;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      api: { type: 'string', default: process.env.SUGGESTION_CHAIN_API ?? `http://localhost:${process.env.API_PORT ?? 3000}` },
      receipts: { type: 'string' },
      rejects: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const [file] = positionals;
  const concurrency = Number(values.concurrency);
  if (!file || positionals.length > 1 || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) return fail(usage);
  const apiKey = process.env.SUGGESTION_CHAIN_API_KEY;
  if (!apiKey && !values['dry-run']) return fail(`set SUGGESTION_CHAIN_API_KEY to an intake staff key\n${usage}`);
  if (!existsSync(file)) return fail(`no such file: ${file}`);
  const receiptsFile = values.receipts ?? file.replace(/\.csv$/i, '') + '.receipts.csv';
  const rejectsFile = values.rejects ?? file.replace(/\.csv$/i, '') + '.rejected.csv';

  let records: CsvRecord[];
  try {
    records = parseCsv(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof CsvSyntaxError) return fail(`${file} is not a readable CSV file: ${err.message}`);
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) return fail(`${file} is empty`);
  const { columns, ignored, missing } = readHeader(header.fields);
  if (missing.length > 0) return fail(`${file} lacks the column(s) ${missing.join(', ')}\n${usage}`);
  if (ignored.length > 0) console.error(`ignoring column(s): ${ignored.join(', ')}`);

  const { calls, rejected } = readCalls(rows, columns, await cityProfile(values.api!.replace(/\/$/, '')));
  const earlier = readReceipts(receiptsFile);
  const toSend = calls.filter((call) => !earlier.has(call.workOrder));
  const alreadyRegistered = calls.length - toSend.length;

  let registered = 0;
  if (!values['dry-run'] && toSend.length > 0) {
    const client = intakeClient({ baseUrl: values.api!.replace(/\/$/, ''), apiKey: apiKey! });
    const outcome = await registerAll(client, toSend, concurrency, receiptsFile, rejected);
    if (outcome.stoppedBecause) {
      console.error(`stopped: the API refused the key (${outcome.stoppedBecause}); rows not yet sent were left untouched`);
      return 1;
    }
    registered = outcome.registered;
  }

  writeRejects(rejectsFile, header.fields, rows, rejected);
  printSummary({ rows: rows.length, registered, alreadyRegistered, valid: values['dry-run'] ? toSend.length : 0, rejected, receiptsFile, rejectsFile });
  return rejected.length > 0 ? someRowsRejected : 0;
}

/**
 * The city profile the rows' categories and districts are checked against: the API's (GET
 * /v1/profile, what intake will check them against), else, with no API to ask (a dry run
 * offline), the profile file the service is set up with (CITY_PROFILE, Shanghai by default).
 */
async function cityProfile(api: string): Promise<CityProfile> {
  try {
    const res = await fetch(`${api}/v1/profile`, { signal: AbortSignal.timeout(5000) });
    if (res.ok) {
      const { version, profile } = (await res.json()) as { version: number; profile: unknown };
      return parseProfile(profile, version);
    }
  } catch {
    // No API to ask: the profile file below.
  }
  const { profile, path } = loadProfileFile();
  console.error(`checking categories and districts against the profile file ${path} (the API at ${api} did not answer GET /v1/profile)`);
  return profile;
}

/** Sends the calls a few at a time; each registered call is written to the receipts file at once. */
async function registerAll(client: IntakeClient, calls: HotlineCall[], concurrency: number, receiptsFile: string, rejected: RejectedRow[]) {
  const progress = progressBar(calls.length);
  let registered = 0;
  let stoppedBecause: string | undefined;
  let next = 0;
  if (!existsSync(receiptsFile)) writeFileSync(receiptsFile, 'work_order,tracking_number,tracking_token\n', { mode: 0o600 });
  const worker = async () => {
    while (next < calls.length && !stoppedBecause) {
      const call = calls[next++];
      const result = await client.register(call.suggestion, `hotline-${call.workOrder}`);
      if (result.kind === 'registered') {
        registered++;
        appendReceipt(receiptsFile, { workOrder: call.workOrder, trackingNumber: result.trackingNumber, trackingToken: result.trackingToken });
      } else if (result.kind === 'refused') {
        rejected.push({ line: call.line, workOrder: call.workOrder, reasons: [result.reason] });
      } else {
        stoppedBecause = result.reason;
      }
      progress.tick({ registered, rejected: rejected.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
  progress.done();
  return { registered, stoppedBecause };
}

/** The receipts of earlier runs: tracking number and token per work order, for the desk to tell callers. */
function readReceipts(file: string): Map<string, Receipt> {
  const receipts = new Map<string, Receipt>();
  if (!existsSync(file)) return receipts;
  for (const { fields } of parseCsv(readFileSync(file, 'utf8')).slice(1)) {
    const [workOrder, trackingNumber, trackingToken] = fields;
    if (workOrder && trackingNumber) receipts.set(workOrder, { workOrder, trackingNumber, trackingToken });
  }
  return receipts;
}

function appendReceipt(file: string, receipt: Receipt): void {
  appendFileSync(file, `${[receipt.workOrder, receipt.trackingNumber, receipt.trackingToken].map(csvField).join(',')}\n`);
}

/** The rejected rows as they were, plus the reason: the desk corrects them and imports this file. */
function writeRejects(file: string, header: string[], rows: CsvRecord[], rejected: RejectedRow[]): void {
  if (rejected.length === 0) return rmSync(file, { force: true });
  const byLine = new Map(rows.map((r) => [r.line, r.fields]));
  const lines = [[...header, 'reason'], ...[...rejected].sort((a, b) => a.line - b.line).map((r) => [...(byLine.get(r.line) ?? []), r.reasons.join('; ')])];
  writeFileSync(file, lines.map((fields) => fields.map(csvField).join(',')).join('\n') + '\n', { mode: 0o600 });
}

function printSummary(s: {
  rows: number;
  registered: number;
  alreadyRegistered: number;
  valid: number;
  rejected: RejectedRow[];
  receiptsFile: string;
  rejectsFile: string;
}): void {
  console.log(`rows read:           ${s.rows}`);
  if (s.valid > 0) console.log(`valid (dry run):     ${s.valid}`);
  console.log(`registered:          ${s.registered}`);
  console.log(`already registered:  ${s.alreadyRegistered}`);
  console.log(`rejected:            ${s.rejected.length}`);
  if (s.registered > 0 || s.alreadyRegistered > 0) console.log(`receipts (tracking numbers and tokens for the callers): ${s.receiptsFile}`);
  if (s.rejected.length === 0) return;
  console.log(`rejected rows, with the reasons, to correct and import again: ${s.rejectsFile}`);
  for (const r of [...s.rejected].sort((a, b) => a.line - b.line)) {
    console.log(`  line ${r.line}${r.workOrder ? ` (${r.workOrder})` : ''}: ${r.reasons.join('; ')}`);
  }
}

runCommand(main);
