import { z } from 'zod';
import { feedbackTermSteps } from './feedback-terms';
import { timeLimitSteps, type TimeLimitSetting } from './time-limits';
import { channels } from './vocabulary';

// A city profile (城市配置): what differs from one city to the next and the code must not fix —
// the districts with their streets and towns, the categories, the departments, the channels the
// city takes suggestions by, the default time limits and the first routing rules. One file per
// city (profiles/*.yaml), validated here, loaded into PostgreSQL at setup and edited by the
// administrator through the API afterwards (api/routes/profile.ts). The chain's own words —
// statuses, outcomes, roles, what a channel requires — stay in vocabulary.ts: they are the code's.

/** The suggestion is about the whole city rather than one district: always a valid district code. */
export const cityWide = 'city';

/** A code as profiles write them: lower-case letters, digits, `_` and `-`, starting with a letter. */
export const profileCodePattern = /^[a-z][a-z0-9_-]{1,63}$/;
/** A street or town by the National Bureau of Statistics' nine-digit code (统计用区划代码), e.g. 310110019 五角场街道. */
export const streetCodePattern = /^\d{9}$/;

const code = (what: string) => z.string().regex(profileCodePattern, `${what}: lower-case letters, digits, _ and -, from a letter`);
const name = z.string().trim().min(1).max(100);
const retired = z.boolean().default(false).describe('kept for the suggestions that have it, refused for new ones');

export const streetKinds = ['subdistrict', 'town', 'township'] as const;

export const streetSchema = z
  .object({
    code: z
      .string()
      .regex(streetCodePattern, 'a street or town code: the nine digits of the statistics code')
      .describe("the street's or town's nine-digit statistics code (统计用区划代码), starting with its district's division code")
      .meta({ examples: ['310110019'] }),
    name: name.describe("the street's or town's name, as the city writes it").meta({ examples: ['五角场街道'] }),
    /** 街道 subdistrict, 镇 town, 乡 township. */
    kind: z
      .enum(streetKinds)
      .describe('subdistrict (街道), town (镇) or township (乡)')
      .meta({ examples: ['subdistrict'] }),
    retired,
  })
  .strict();

export const districtSchema = z
  .object({
    code: code('a district code').refine((c) => c !== cityWide, `"${cityWide}" stands for the whole city: no district may take it`),
    name: name.describe("the district's name in Chinese").meta({ examples: ['杨浦区'] }),
    nameEn: name.describe("the district's name in English").meta({ examples: ['Yangpu'] }),
    /** The six-digit division code (GB/T 2260); every street's code starts with it. */
    divisionCode: z
      .string()
      .regex(/^\d{6}$/, 'six digits (GB/T 2260)')
      .describe("the district's six-digit administrative division code (GB/T 2260); every street's code starts with it")
      .meta({ examples: ['310110'] }),
    retired,
    streets: z.array(streetSchema).default([]).describe('the streets and towns of the district, the whole list: one left out is refused (retire it instead)'),
  })
  .strict();

export const categorySchema = z
  .object({
    code: code('a category code'),
    name: name.describe("the category's name in Chinese, as the board and the replies show it").meta({ examples: ['交通出行'] }),
    nameEn: name.describe("the category's name in English").meta({ examples: ['Transport'] }),
    retired,
  })
  .strict();

export const departmentLevels = ['city', 'district', 'street'] as const;

export const departmentSchema = z
  .object({
    code: code('a department code'),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("the department's name in Chinese")
      .meta({ examples: ['上海市交通委员会'] }),
    nameEn: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("the department's name in English")
      .meta({ examples: ['Shanghai Municipal Transportation Commission'] }),
    level: z
      .enum(departmentLevels)
      .describe('the level it belongs to: city (市), district (区) or street and town (街镇)')
      .meta({ examples: ['city'] }),
    /** District and street departments: the district they serve. */
    district: code('a district code')
      .optional()
      .describe('district and street departments: the district they serve')
      .meta({ examples: ['yangpu'] }),
    /** Street departments: the street or town they serve. */
    street: z
      .string()
      .regex(streetCodePattern)
      .optional()
      .describe('street departments: the nine-digit code of the street or town they serve')
      .meta({ examples: ['310110019'] }),
  })
  .strict();

const settingSteps = [...timeLimitSteps, ...feedbackTermSteps] as const;

export const timeLimitSchema = z
  .object({
    step: z
      .enum(settingSteps)
      .describe('the step of the chain the limit is for (e.g. respond, handle, feedback)')
      .meta({ examples: ['respond'] }),
    channel: z
      .enum(channels)
      .nullable()
      .default(null)
      .describe('only suggestions by this channel; null: every channel')
      .meta({ examples: ['hotline'] }),
    category: code('a category code')
      .nullable()
      .default(null)
      .describe('only suggestions of this category; null: every category')
      .meta({ examples: ['transport'] }),
    amount: z
      .number()
      .int()
      .min(1)
      .max(365)
      .describe('how many units the step may take')
      .meta({ examples: [30] }),
    unit: z
      .enum(['working_days', 'calendar_days', 'months'])
      .describe('what the amount counts: working days, calendar days or months')
      .meta({ examples: ['calendar_days'] }),
  })
  .strict();

const routingRuleSchema = z
  .object({
    category: code('a category code'),
    district: code('a district code').optional(),
    /** Only matters placed in this street or town of the district; beats the district's rules. */
    street: z.string().regex(streetCodePattern).optional(),
    leadDepartment: code('a department code'),
    coDepartments: z.array(code('a department code')).max(10).default([]),
  })
  .strict();

export const cityProfileSchema = z
  .object({
    city: z
      .object({
        code: code('the city code'),
        name,
        nameEn: name,
        divisionCode: z.string().regex(/^\d{6}$/, 'six digits (GB/T 2260)'),
        /** The department code of the city's collection office (征集办), which holds what no district does. */
        office: code('a department code'),
        /** The city's extent with a margin (WGS-84): a point outside it is a typo or the wrong datum order. */
        bounds: z
          .object({
            minLat: z.number().min(-90).max(90),
            maxLat: z.number().min(-90).max(90),
            minLng: z.number().min(-180).max(180),
            maxLng: z.number().min(-180).max(180),
          })
          .strict()
          .refine((b) => b.minLat < b.maxLat && b.minLng < b.maxLng, 'the minimum latitude and longitude must be below the maximum ones')
          .optional(),
      })
      .strict(),
    districts: z.array(districtSchema).min(1),
    categories: z.array(categorySchema).min(1),
    departments: z.array(departmentSchema).min(1),
    /** The channels this city takes suggestions by; each keeps the rules vocabulary.ts gives it. */
    channels: z.array(z.enum(channels)).min(1),
    /** The defaults under the office's own time settings: the most specific applies, like the settings. */
    timeLimits: z.array(timeLimitSchema).default([]),
    /** Seeded into an empty table; after that the rules belong to the offices. */
    routingRules: z.array(routingRuleSchema).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const duplicates = (list: { code: string }[], path: string, what: string) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.code)) issue([path, i, 'code'], `${what} ${item.code} is listed twice`);
        seen.add(item.code);
      });
    };
    duplicates(p.districts, 'districts', 'district');
    duplicates(p.categories, 'categories', 'category');
    duplicates(p.departments, 'departments', 'department');
    const streets = new Map<string, string>();
    p.districts.forEach((d, i) =>
      d.streets.forEach((s, j) => {
        if (streets.has(s.code)) issue(['districts', i, 'streets', j, 'code'], `street ${s.code} is listed twice`);
        if (!s.code.startsWith(d.divisionCode))
          issue(['districts', i, 'streets', j, 'code'], `street ${s.code} does not start with its district's division code ${d.divisionCode}`);
        streets.set(s.code, d.code);
      }),
    );
    const districts = new Set(p.districts.map((d) => d.code));
    const categories = new Set(p.categories.map((c) => c.code));
    const departments = new Set(p.departments.map((d) => d.code));
    if (!departments.has(p.city.office)) issue(['city', 'office'], `the office ${p.city.office} is not among the departments`);
    p.departments.forEach((d, i) => {
      if (d.level !== 'city' && !d.district) issue(['departments', i, 'district'], `a ${d.level} department names its district`);
      if (d.district && !districts.has(d.district)) issue(['departments', i, 'district'], `no district ${d.district} in this profile`);
      if (d.level === 'street' && !d.street) issue(['departments', i, 'street'], 'a street department names its street or town');
      if (d.street && streets.get(d.street) !== d.district) issue(['departments', i, 'street'], `street ${d.street} is not in district ${d.district}`);
    });
    p.timeLimits.forEach((t, i) => {
      if (t.category && !categories.has(t.category)) issue(['timeLimits', i, 'category'], `no category ${t.category} in this profile`);
    });
    p.routingRules.forEach((r, i) => {
      if (!categories.has(r.category)) issue(['routingRules', i, 'category'], `no category ${r.category} in this profile`);
      if (r.district && !districts.has(r.district)) issue(['routingRules', i, 'district'], `no district ${r.district} in this profile`);
      if (r.street && streets.get(r.street) !== r.district)
        issue(['routingRules', i, 'street'], `street ${r.street} is not in district ${r.district ?? '(none given)'}`);
      [r.leadDepartment, ...r.coDepartments].forEach((dep) => {
        if (!departments.has(dep)) issue(['routingRules', i], `no department ${dep} in this profile`);
      });
    });
    if (new Set(p.channels).size !== p.channels.length) issue(['channels'], 'a channel is listed twice');
  });

export type CityProfileDocument = z.output<typeof cityProfileSchema>;
export type ProfileDistrict = CityProfileDocument['districts'][number];
export type ProfileCategory = CityProfileDocument['categories'][number];
export type ProfileDepartment = CityProfileDocument['departments'][number];
export type ProfileStreetEntry = CityProfileDocument['districts'][number]['streets'][number];

/** A street or town with its district, in the shape the streets reference table keeps it. */
export interface ProfileStreet {
  code: string;
  name: string;
  district: string;
  kind: (typeof streetKinds)[number];
  retired: boolean;
}

/** The kinds of code a suggestion, a rule or a filter names, each checked against the profile. */
export type ProfileCodeKind = 'category' | 'district' | 'street' | 'channel';

/**
 * A validated profile with the look-ups the service makes. `version` counts the changes made
 * since it was loaded into PostgreSQL (0 for a file), so a cache knows when to read it again.
 */
export class CityProfile {
  readonly streets: readonly ProfileStreet[];
  private readonly streetByCode: Map<string, ProfileStreet>;
  private readonly districtByCode: Map<string, ProfileDistrict>;
  private readonly categoryByCode: Map<string, ProfileCategory>;

  constructor(
    readonly document: CityProfileDocument,
    readonly version = 0,
  ) {
    this.streets = document.districts.flatMap((d) =>
      d.streets.map((s) => ({ code: s.code, name: s.name, district: d.code, kind: s.kind, retired: s.retired || d.retired })),
    );
    this.streetByCode = new Map(this.streets.map((s) => [s.code, s]));
    this.districtByCode = new Map(document.districts.map((d) => [d.code, d]));
    this.categoryByCode = new Map(document.categories.map((c) => [c.code, c]));
  }

  get city() {
    return this.document.city;
  }

  /**
   * The codes of a kind: every code the profile knows (a retired one still names past
   * suggestions), or with `forNew` only those a new suggestion may take. District codes include
   * `city`, the whole city.
   */
  codes(kind: ProfileCodeKind, forNew = false): string[] {
    const open = (x: { retired: boolean }) => !forNew || !x.retired;
    switch (kind) {
      case 'category':
        return this.document.categories.filter(open).map((c) => c.code);
      case 'district':
        return [cityWide, ...this.document.districts.filter(open).map((d) => d.code)];
      case 'street':
        return this.streets.filter(open).map((s) => s.code);
      case 'channel':
        return [...this.document.channels];
    }
  }

  /** Why `code` may not be used (unknown, or retired for a new suggestion); null when it may. */
  codeProblem(kind: ProfileCodeKind, value: string, forNew = false): string | null {
    const known = kind === 'channel' ? (channels as readonly string[]).includes(value) : this.codes(kind).includes(value);
    if (!known) return `${value} is not a ${kind} of ${this.city.nameEn}'s profile (GET /v1/profile)`;
    if (kind === 'channel' && forNew && !this.document.channels.includes(value as (typeof channels)[number]))
      return `${this.city.nameEn} does not take suggestions by ${value}`;
    if (forNew && !this.codes(kind, true).includes(value)) return `${kind} ${value} is retired: kept for the suggestions that have it, not for new ones`;
    return null;
  }

  district(code: string): ProfileDistrict | undefined {
    return this.districtByCode.get(code);
  }

  street(code: string): ProfileStreet | undefined {
    return this.streetByCode.get(code);
  }

  category(code: string): ProfileCategory | undefined {
    return this.categoryByCode.get(code);
  }

  /** A district's or category's name in the reader's language; the code itself when the profile has none. */
  label(kind: 'district' | 'category', value: string, lang: 'zh' | 'en'): string {
    if (kind === 'district' && value === cityWide) return lang === 'zh' ? '市级' : 'City level';
    const found = kind === 'district' ? this.district(value) : this.category(value);
    if (!found) return value;
    return lang === 'zh' ? found.name : found.nameEn;
  }

  /** The profile's default time limits, as settings beneath the office's own. */
  timeLimitDefaults(): TimeLimitSetting[] {
    return this.document.timeLimits.map((t) => ({ step: t.step, channel: t.channel, category: t.category, amount: t.amount, unit: t.unit }));
  }
}

/** Validates a profile document (parsed from YAML or JSON, or sent through the API). */
export function parseProfile(input: unknown, version = 0): CityProfile {
  return new CityProfile(cityProfileSchema.parse(input), version);
}
