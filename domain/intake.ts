import { z } from 'zod';
import { controlCharacterAt, controlCharacterMessage } from './control-characters';
import { attachmentIdPattern, maxAttachments } from './attachments';
import { placeProblem, placeSchema } from './place';
import { codeProblemInScope, newCategoryCode, newDistrictCode } from './profile-codes';
import { channels, replyChannels, staffRegisteredChannels } from './vocabulary';

// What a suggestion must state (Art 10: topic, reasons, proposed measures, the proposer's details).

export const proposerSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe("the proposer's name; kept encrypted, never published")
      .meta({ examples: ['钱慧明'] }),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'a phone number of digits, spaces and dashes')
      .optional()
      .describe('a phone number for the reply (digits, spaces, dashes); kept encrypted')
      .meta({ examples: ['139 1234 5678'] }),
    email: z
      .email()
      .max(254)
      .optional()
      .describe('an e-mail address for the reply; kept encrypted')
      .meta({ examples: ['qian.huiming@example.cn'] }),
    address: z
      .string()
      .trim()
      .min(2)
      .max(300)
      .optional()
      .describe("the proposer's own postal address, for a written reply; kept encrypted, never published (the matter's place is `place`)")
      .meta({ examples: ['上海市杨浦区国定路 100 弄 5 号 302 室'] }),
    replyChannel: z.enum(replyChannels).default('online').describe('how the proposer wants the reply; sms and phone need the phone, email the address'),
  })
  .strict()
  .describe("The proposer's details (建议人信息): confidential, encrypted at rest, shown to no department");

/**
 * What only some channels carry, each required where its channel needs it: the 12345 work-order
 * number of a hotline call, the collection station a form came from, where a visit was received,
 * and for the 一网通办 portal the service rated and its one or two stars.
 */
export const channelSourceSchema = z
  .object({
    workOrder: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,40}$/, 'a 12345 work-order number')
      .optional()
      .describe('hotline: the 12345 work-order number (工单编号)')
      .meta({ examples: ['20261126-0042'] }),
    stationId: z
      .string()
      .trim()
      .regex(/^[a-z0-9_-]{2,64}$/, 'a collection station code')
      .optional()
      .describe('station: the code of the collection station (征集点) the form came from')
      .meta({ examples: ['yangpu-wujiaochang-station'] }),
    receptionPoint: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .optional()
      .describe('visit: where the visitor was received')
      .meta({ examples: ['杨浦区人民建议征集接待室'] }),
    serviceItem: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .optional()
      .describe('service_rating: the 一网通办 service that was rated')
      .meta({ examples: ['居住证办理'] }),
    rating: z
      .union([z.literal(1), z.literal(2)])
      .optional()
      .describe('service_rating: the one or two stars given'),
  })
  .strict()
  .describe('What only some channels carry; each is required by its own channel and refused by the others');

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
    title: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .describe('what the suggestion is about, 2–200 characters')
      .meta({ examples: ['国定路公交站加装候车亭'] }),
    content: z
      .string()
      .trim()
      .min(10)
      .max(20000)
      .describe('the suggestion itself (Art 10): the situation, the reasons and the measures proposed, 10–20,000 characters')
      .meta({ examples: ['国定路政通路口的公交站没有候车亭，雨天和夏天候车的老人和学生只能站在路边。建议参照五角场站加装带座椅的候车亭，并增设到站信息屏。'] }),
    category: newCategoryCode.describe('the subject, which with the district decides the department (routing rules)'),
    district: newDistrictCode.describe('the district it concerns, or city for the whole city'),
    channel: z.enum(channels).default('web').describe('how it came in; letters, calls, visits, station forms and e-mail are registered by intake staff'),
    /** When staff register a letter, call, visit or station form after the fact: when it was received. */
    receivedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('staff registering a letter, call, visit or station form after the fact: when it was received; deadlines count from it'),
    proposer: proposerSchema.default({ replyChannel: 'online' }),
    /** The proposer agrees that the outcome may be published on the public board. */
    publishConsent: z
      .boolean()
      .default(false)
      .describe('the proposer agrees that, if adopted, the title and what was done may be published (never who they are)'),
    campaignId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('the campaign it answers (channel campaign), while the campaign is open')
      .meta({ examples: ['life-circle-15min'] }),
    /** Which of the campaign's topics the suggestion answers. */
    campaignTopic: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe("which of the campaign's topics it answers")
      .meta({ examples: ['步行和骑行道路'] }),
    source: channelSourceSchema.optional(),
    place: placeSchema.optional(),
    attachments: z
      .array(z.string().regex(attachmentIdPattern, 'an upload id from POST /v1/uploads'))
      .max(maxAttachments)
      .optional()
      .describe(`photos and documents sent first to POST /v1/uploads, by the uploadId each answered; at most ${maxAttachments}`)
      .meta({ examples: [['3f2a9c1e-5b7d-4a60-a1c2-e3f405162738']] }),
  })
  .strict()
  .describe('A suggestion, from any channel')
  .meta({
    examples: [
      {
        title: '国定路公交站加装候车亭',
        content: '国定路政通路口的公交站没有候车亭，雨天和夏天候车的老人和学生只能站在路边。建议参照五角场站加装带座椅的候车亭，并增设到站信息屏。',
        category: 'transport',
        district: 'yangpu',
        channel: 'web',
        proposer: { name: '钱慧明', phone: '139 1234 5678', replyChannel: 'sms' },
        publishConsent: true,
        place: { address: '国定路政通路口公交站', street: '310110019', coordinates: { lat: 31.3021, lng: 121.5117, datum: 'gcj02' } },
      },
    ],
  })
  .superRefine((s, ctx) => {
    const channelClosed = codeProblemInScope('channel', s.channel, true);
    if (channelClosed) ctx.addIssue({ code: 'custom', path: ['channel'], message: channelClosed });
    const place = placeProblem(s.place, s.district);
    if (place) ctx.addIssue({ code: 'custom', path: place.path, message: place.message });
    if (s.attachments && new Set(s.attachments).size !== s.attachments.length)
      ctx.addIssue({ code: 'custom', path: ['attachments'], message: 'an upload is listed twice' });
    if (s.receivedAt && !staffRegisteredChannels.includes(s.channel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['receivedAt'],
        message: `receivedAt is only for channels staff register after the fact (${staffRegisteredChannels.join(', ')})`,
      });
    }
    if (s.channel === 'hotline' && !s.proposer.phone) {
      ctx.addIssue({ code: 'custom', path: ['proposer', 'phone'], message: "a hotline suggestion needs the caller's phone number" });
    }
    if (s.channel === 'campaign' && !s.campaignId) {
      ctx.addIssue({ code: 'custom', path: ['campaignId'], message: 'a campaign suggestion names its campaign' });
    }
    const needed = requiredSourceFields[s.channel] ?? [];
    for (const field of needed) {
      if (s.source?.[field] === undefined)
        ctx.addIssue({ code: 'custom', path: ['source', field], message: `a ${s.channel} suggestion needs source.${field}` });
    }
    for (const field of Object.keys(s.source ?? {}) as SourceField[]) {
      if (!needed.includes(field))
        ctx.addIssue({ code: 'custom', path: ['source', field], message: `source.${field} does not belong to a ${s.channel} suggestion` });
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

/**
 * The proposer as a suggestion carries them from intake on: the reply channel in clear (not
 * personal), the name and contact details sealed with a data key of their own (codec/proposer-details.ts).
 */
export interface SealedProposer {
  replyChannel: ProposerDetails['replyChannel'];
  /** The data key's id in proposer_keys; erasing the proposer destroys that key. */
  keyId: string;
  /** Name, phone, e-mail and address sealed with the data key; null when none was given. */
  details: string | null;
  /**
   * The data key sealed with the key ring, only when intake could not store it (PostgreSQL was
   * unreachable): registration stores it then. Such a suggestion's history holds the sealed key
   * until the namespace's retention ends (README, the proposer's confidentiality).
   */
  wrappedKey?: string;
}
export type ChannelSource = z.infer<typeof channelSourceSchema>;
