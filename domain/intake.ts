import { z } from 'zod';
import { controlCharacterAt, controlCharacterMessage } from './control-characters';
import { categories, channels, districts, replyChannels, staffRegisteredChannels } from './vocabulary';

// What a suggestion must state (Art 10: topic, reasons, proposed measures, the proposer's details).

export const proposerSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'a phone number of digits, spaces and dashes')
      .optional(),
    email: z.email().max(254).optional(),
    replyChannel: z.enum(replyChannels).default('online'),
  })
  .strict();

/**
 * What only some channels carry, each required where its channel needs it: the 12345 work-order
 * number of a hotline call, the collection station a form came from, where a visit was received,
 * and for the 一网通办 portal the service rated and its one or two stars.
 */
export const channelSourceSchema = z
  .object({
    workOrder: z.string().trim().regex(/^[A-Za-z0-9-]{4,40}$/, 'a 12345 work-order number').optional(),
    stationId: z.string().trim().regex(/^[a-z0-9_-]{2,64}$/, 'a collection station code').optional(),
    receptionPoint: z.string().trim().min(2).max(200).optional(),
    serviceItem: z.string().trim().min(2).max(200).optional(),
    rating: z.union([z.literal(1), z.literal(2)]).optional(),
  })
  .strict();

type SourceField = keyof z.infer<typeof channelSourceSchema>;

/** Which source fields each channel requires; a field its channel does not use is refused. */
export const requiredSourceFields: Partial<Record<(typeof channels)[number], SourceField[]>> = {
  hotline: ['workOrder'],
  station: ['stationId'],
  visit: ['receptionPoint'],
  service_rating: ['serviceItem', 'rating'],
};

export const submitSuggestionSchema = z
  .object({
    title: z.string().trim().min(2).max(200),
    content: z.string().trim().min(10).max(20000),
    category: z.enum(categories),
    district: z.enum(districts),
    channel: z.enum(channels).default('web'),
    /** When staff register a letter, call, visit or station form after the fact: when it was received. */
    receivedAt: z.iso.datetime({ offset: true }).optional(),
    proposer: proposerSchema.default({ replyChannel: 'online' }),
    /** The proposer agrees that the outcome may be published on the public board. */
    publishConsent: z.boolean().default(false),
    campaignId: z.string().trim().min(1).max(64).optional(),
    /** Which of the campaign's topics the suggestion answers. */
    campaignTopic: z.string().trim().min(1).max(100).optional(),
    source: channelSourceSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.receivedAt && !staffRegisteredChannels.includes(s.channel)) {
      ctx.addIssue({ code: 'custom', path: ['receivedAt'], message: `receivedAt is only for channels staff register after the fact (${staffRegisteredChannels.join(', ')})` });
    }
    if (s.channel === 'hotline' && !s.proposer.phone) {
      ctx.addIssue({ code: 'custom', path: ['proposer', 'phone'], message: 'a hotline suggestion needs the caller\'s phone number' });
    }
    if (s.channel === 'campaign' && !s.campaignId) {
      ctx.addIssue({ code: 'custom', path: ['campaignId'], message: 'a campaign suggestion names its campaign' });
    }
    const needed = requiredSourceFields[s.channel] ?? [];
    for (const field of needed) {
      if (s.source?.[field] === undefined) ctx.addIssue({ code: 'custom', path: ['source', field], message: `a ${s.channel} suggestion needs source.${field}` });
    }
    for (const field of Object.keys(s.source ?? {}) as SourceField[]) {
      if (!needed.includes(field)) ctx.addIssue({ code: 'custom', path: ['source', field], message: `source.${field} does not belong to a ${s.channel} suggestion` });
    }
    if (s.campaignTopic && !s.campaignId) {
      ctx.addIssue({ code: 'custom', path: ['campaignTopic'], message: 'a topic belongs to a campaign: name the campaignId too' });
    }
    // The web form's body is read by its page, not by the API's guard (api/control-characters.ts).
    const control = controlCharacterAt(s);
    if (control) ctx.addIssue({ code: 'custom', path: control, message: controlCharacterMessage });
    const reach: Record<string, unknown> = { phone: s.proposer.phone, sms: s.proposer.phone, email: s.proposer.email };
    if (s.proposer.replyChannel in reach && !reach[s.proposer.replyChannel]) {
      ctx.addIssue({ code: 'custom', path: ['proposer', 'replyChannel'], message: `a reply by ${s.proposer.replyChannel} needs the matching contact detail` });
    }
  });

export type SubmitSuggestion = z.infer<typeof submitSuggestionSchema>;
export type ProposerDetails = z.infer<typeof proposerSchema>;
export type ChannelSource = z.infer<typeof channelSourceSchema>;
