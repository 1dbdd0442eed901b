// The words of the suggestion chain, as the city uses them (see the glossary in docs/DOMAIN.md).

/** How a suggestion reached the city (Art 9 of the 2021 regulation, plus the portal's rating channel); a city's profile enables those it takes. */
export const channels = [
  'web', // online form
  'hotline', // 12345 hotline
  'letter',
  'email',
  'visit',
  'station', // collection station in a neighbourhood or along the riverside
  'service_rating', // one- or two-star rating on the 一网通办 portal
  'campaign', // thematic or joint campaign (主动征集)
  'open311', // a civic app or a hotline platform through Open311 GeoReport v2 (/open311/v2)
] as const;
export type Channel = (typeof channels)[number];

/** Channels whose suggestions staff register after the fact, so intake records when they were received. */
export const staffRegisteredChannels: readonly Channel[] = ['hotline', 'letter', 'visit', 'station'];

/**
 * A district's code, or `city` for the whole city, and a category's code: the city's own, read
 * from its profile (domain/profile.ts, profiles/*.yaml) and checked against it wherever a request
 * names one (domain/profile-codes.ts). No city's list is fixed in the code.
 */
export type District = string;
export type Category = string;

/** Where a suggestion stands in the chain. */
export const suggestionStatuses = [
  'received', // registered, tracking number given
  'triage', // waiting for the collection office to route it by hand
  'handling', // with the lead department (办理)
  'merged', // handled together with another suggestion on the same matter (合并办理), answered with it
  'decided', // the department decided (采纳 …)
  'replied', // the proposer has the reply (答复)
  'rehandling', // the proposer was dissatisfied: one more round with the same department (重新办理)
  'implementing', // the adopted idea is being carried out (落实转化)
  'implemented', // every milestone done; the follow-up check is still ahead
  'closed',
] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];

/** The department's decision (采纳 / 部分采纳 / 留作参考 / 不予采纳). */
export const outcomes = ['adopted', 'partially_adopted', 'for_reference', 'not_adopted'] as const;
export type Outcome = (typeof outcomes)[number];

/** Outcomes that must say why. */
export const outcomesNeedingReason: readonly Outcome[] = ['for_reference', 'not_adopted'];

/** Outcomes that are carried out: they need an implementation plan and the way the idea is used. */
export const outcomesNeedingPlan: readonly Outcome[] = ['adopted', 'partially_adopted'];

/** How an adopted suggestion is used (Art 13, 落实转化). */
export const adoptionUsages = [
  'livelihood_measure', // reference for livelihood measures
  'improving_work', // improving an organ's work
  'law_or_policy', // making, amending or repealing laws and policies
  'congress_supervision_topic', // choosing congress supervision topics
  'deputies_bill', // deputies' bills
  'decision', // decisions
  'other',
] as const;
export type AdoptionUsage = (typeof adoptionUsages)[number];

/** The proposer's rating of the handling (满意度). */
export const satisfactionRatings = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type SatisfactionRating = (typeof satisfactionRatings)[number];

/** How the proposer wants the reply (Art 12: in writing, by phone, SMS or online). */
export const replyChannels = ['written', 'phone', 'sms', 'online', 'email'] as const;
export type ReplyChannel = (typeof replyChannels)[number];

export const staffRoles = ['intake', 'office', 'department', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];
