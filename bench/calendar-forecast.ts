import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { provisionalSchedule, statutoryHolidays } from '../domain/calendar';
import { forecastAccuracy, ACCURACY_LIMITS, ACCURACY_YEARS, type Accuracy } from '../domain/calendar/forecast-accuracy';
import { toDayNumber, weekdayOf } from '../domain/calendar/iso-date';
import { officialYears } from '../domain/calendar/official-schedule';
import { runWhenMain, table } from './support/report';

// How well the provisional calendar stands in for a State Council schedule not yet published:
// leave each year 2016–2026 out in turn, forecast it, and compare the working-day deadlines
// (domain/calendar/forecast-accuracy.ts). Once with the full forecast, once with the statutory
// days alone, the baseline the bridging rules have to beat.
// Goal (full forecast): ≥ 90% of deadlines identical and ≥ 95% within 2 calendar days, overall.
// It computes and needs no servers, so its figures do not depend on the machine.

const GOAL = { identical: 0.9, withinTwoDays: 0.95 };
const FILE = resolve(__dirname, '../docs/BENCHMARKS.md');
const BEGIN = '<!-- calendar-forecast:start -->';
const END = '<!-- calendar-forecast:end -->';
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

async function main(): Promise<void> {
  const full = forecastAccuracy(provisionalSchedule);
  const statutory = forecastAccuracy(statutoryHolidays);
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const cells = (a: Accuracy) => [pct(a.identical), pct(a.withinTwoDays), a.maxDifferenceDays];
  const rows = full.byYear.map((year, i) => [year.year, ...cells(year), ...cells(statutory.byYear[i]!)]);
  rows.push(['**all**', ...cells(full.overall).map(bold), ...cells(statutory.overall).map(bold)]);
  const met = full.overall.identical >= GOAL.identical && full.overall.withinTwoDays >= GOAL.withinTwoDays;

  const nextYear = Math.max(...officialYears()) + 1;
  const forecastRows = provisionalSchedule(nextYear).map((e) => [
    e.date,
    WEEKDAYS[weekdayOf(toDayNumber(e.date))]!,
    e.kind === 'holiday' ? 'day off' : 'working day (调休)',
    e.name ?? '',
  ]);

  const markdown = [
    '## Provisional calendar: forecasting a holiday schedule before it is published',
    '',
    `For each year ${ACCURACY_YEARS[0]}–${ACCURACY_YEARS[ACCURACY_YEARS.length - 1]} in turn the year is treated as unpublished: the calendar holds every published year but that one (officialSchedule, ` +
      `the \`chinese-days\` transcription of the State Council notices) plus the forecast for it. For a receipt at noon Shanghai time on every day of the year, ` +
      `the ${ACCURACY_LIMITS.join(', ')}-working-day deadlines on that calendar are compared with those on the published calendar (${full.overall.deadlines} deadlines in all); ` +
      `deadlines reaching ${nextYear} use its forecast on both sides, so only the year left out differs. ` +
      'The full forecast is `provisionalSchedule` (statutory days of the 放假办法 in force, the long breaks, 3-day weekends, days in lieu and adjusted working days; ' +
      'rules in domain/calendar/holiday-breaks.ts and adjusted-working-days.ts); the baseline is `statutoryHolidays`, the statutory days on weekdays and nothing else. ' +
      'Lunar dates and 清明 come from tyme4ts, no holiday table. The rules were read off these same eleven years, so the figures say how faithfully the rules ' +
      'reproduce the notices and how far a miss moves a deadline, not how well a year would have been foreseen. What the full forecast misses: 2019, where Labour Day was ' +
      '4 days, not the 5 of every year since; 2020, whose Spring Festival was lengthened for the epidemic; 2024, whose Spring Festival started on 初一, not 除夕.',
    '',
    `The statutory-only baseline was expected to come out at about 69% identical; by this definition (the weekday statutory days of the revision in force, no day in lieu for ` +
      `one on a weekend) it gives ${pct(statutory.overall.identical)}. Written by \`npm run bench:calendar\`; the figures are computed, so they do not depend on the machine.`,
    '',
    `Goal (full forecast, overall): ≥ ${pct(GOAL.identical)} identical and ≥ ${pct(GOAL.withinTwoDays)} within ±2 calendar days: ${met ? 'met' : 'not met'}.`,
    '',
    table(
      [
        'year left out',
        'full: identical',
        'full: within ±2 days',
        'full: max difference (days)',
        'statutory only: identical',
        'statutory only: within ±2 days',
        'statutory only: max difference (days)',
      ],
      rows,
    ),
    '',
    `### Forecast for ${nextYear}`,
    '',
    `To compare with the State Council's notice for ${nextYear} when it is published (weekday holidays and weekend working days only, as officialSchedule lists them).`,
    '',
    table(['date', 'weekday', 'kind', 'holiday'], forecastRows),
  ].join('\n');

  console.log(markdown);
  writeSection(markdown);
}

function bold(cell: string | number): string {
  return `**${cell}**`;
}

/**
 * Replaces this benchmark's section of docs/BENCHMARKS.md between its markers, or appends it;
 * the rest of the file is left as it is. Like report.ts's writeSection, but with the
 * start/end markers this section was asked to have (writeSection writes begin/end).
 */
function writeSection(markdown: string): void {
  const section = `${BEGIN}\n${markdown.trim()}\n${END}`;
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(BEGIN);
  const stop = current.indexOf(END);
  const next = start >= 0 && stop > start ? current.slice(0, start) + section + current.slice(stop + END.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, next);
}

runWhenMain(module, main);
