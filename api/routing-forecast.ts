import { calendarStore } from '../prisma/calendar-store';
import { countDeadline, MissingCalendarYearError, type HolidayCalendar } from '../domain/calendar';
import { matchRoutingRule, type RoutingRuleData } from '../domain/routing';
import { timeLimitsFor, type TimeLimitSetting } from '../domain/time-limits';
import type { Category, Channel, District } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

/** Where a new suggestion will go and by when it is due, as its workflow is expected to find. */
export interface Forecast {
  status: 'handling' | 'triage';
  department?: string;
  dueAt: Date;
  /** Counted through a year whose schedule is a forecast (DueAtProvisional). */
  dueAtProvisional: boolean;
}

interface ReferenceData {
  rules: RoutingRuleData[];
  settings: TimeLimitSetting[];
  calendar: HolidayCalendar;
}

/**
 * The routing and the binding deadline a new suggestion's workflow works out in its first task,
 * worked out ahead from the same rules, time limits and calendar, so that the workflow's start
 * carries the supervisors' search attributes and the workflow upserts none (each upsert is a
 * billable action: docs/BENCHMARKS.md). It is only a hint: the workflow routes by the rules as it
 * finds them and upserts whatever differs, so a rule changed on another replica a moment ago costs
 * one upsert, never a wrong attribute.
 *
 * The reference data is read in the background: when the forecast is made, again once it is
 * `ttlMs` old, and at once after a change made through this API (`forget`). Intake never waits for
 * it: until it is read there is no forecast, and the workflow sets the attributes itself.
 */
export class RoutingForecast {
  private data?: ReferenceData;
  private loadedAt = -Infinity;
  private loading?: Promise<void>;
  /** Bumped by `forget`, so a read begun before a change does not stand for after it. */
  private generation = 0;
  private readonly currentCalendar: () => Promise<HolidayCalendar>;

  constructor(
    private readonly db: Database,
    private readonly ttlMs = 10_000,
    private readonly onError: (err: unknown) => void = () => {},
    /** The city profile's default time limits, beneath the office's settings. */
    private readonly profileDefaults?: () => TimeLimitSetting[],
  ) {
    this.currentCalendar = calendarStore(db, 0);
    void this.load();
  }

  /** The forecast for a suggestion received at `receivedAt`; undefined when it cannot be told. */
  forecast(s: { category: Category; district: District; channel: Channel; street?: string; receivedAt: Date }): Forecast | undefined {
    if (Date.now() - this.loadedAt >= this.ttlMs) void this.load();
    const data = this.data;
    if (!data) return undefined;
    const limits = timeLimitsFor(s.channel, s.category, this.settingsFor(data, s.district), this.profileDefaults?.());
    const target = matchRoutingRule(data.rules, s);
    const due = (limit: typeof limits.route) => {
      const counted = countDeadline(data.calendar, s.receivedAt.toISOString(), [limit]);
      return { dueAt: new Date(counted.at), dueAtProvisional: counted.provisional };
    };
    try {
      if (target) return { status: 'handling', department: target.leadDepartment, ...due(limits.respond) };
      return { status: 'triage', ...due(limits.route) };
    } catch (err) {
      if (err instanceof MissingCalendarYearError) return undefined;
      throw err;
    }
  }

  /**
   * The department's reply deadline for a suggestion received at `receivedAt`, as its receipt
   * promises it: counted from receipt whoever ends up handling it (workflows/stages/routing.ts),
   * so a suggestion the office routes by hand is due the same day. Undefined when it cannot be told.
   */
  responseDue(s: { category: Category; channel: Channel; district?: District; receivedAt: Date }): Pick<Forecast, 'dueAt' | 'dueAtProvisional'> | undefined {
    if (Date.now() - this.loadedAt >= this.ttlMs) void this.load();
    const data = this.data;
    if (!data) return undefined;
    try {
      const counted = countDeadline(data.calendar, s.receivedAt.toISOString(), [
        timeLimitsFor(s.channel, s.category, this.settingsFor(data, s.district), this.profileDefaults?.()).respond,
      ]);
      return { dueAt: new Date(counted.at), dueAtProvisional: counted.provisional };
    } catch (err) {
      if (err instanceof MissingCalendarYearError) return undefined;
      throw err;
    }
  }

  /** The office settings that apply in a district: the city's and the district's own. */
  private settingsFor(data: ReferenceData, district: District | undefined): TimeLimitSetting[] {
    return data.settings.filter((t) => !t.jurisdiction || t.jurisdiction === 'city' || t.jurisdiction === district);
  }

  /** Reads the reference data again before the next forecast (a rule, a time limit or the calendar changed). */
  forget(): void {
    this.generation += 1;
    this.data = undefined;
    this.loadedAt = -Infinity;
    this.loading = undefined;
    void this.load();
  }

  /** Resolves once the reference data is loaded (for a caller that wants forecasts from its first request). */
  async ready(): Promise<void> {
    if (!this.data) await this.load();
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      const startedAt = Date.now();
      const generation = this.generation;
      try {
        const [rules, settings, calendar] = await Promise.all([
          this.db.routingRule.findMany({ where: { active: true } }),
          this.db.timeLimitSetting.findMany(),
          this.currentCalendar(),
        ]);
        if (generation !== this.generation) return;
        this.data = { rules, settings, calendar };
        this.loadedAt = startedAt;
      } catch (err) {
        // Tried again once `ttlMs` has passed, not on every intake meanwhile.
        if (generation === this.generation) this.loadedAt = startedAt;
        this.onError(err);
      } finally {
        if (generation === this.generation) this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
