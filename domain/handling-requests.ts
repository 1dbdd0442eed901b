import { z } from 'zod';
import { outOfScopeKinds } from './handling';

// Request bodies of the handling actions, validated by the API; the workflow's validators
// check the same rules again (domain/handling.ts) against the suggestion's current state.

const reason = z.string().trim().min(2).max(5000);

export const returnBody = z
  .object({
    reason: reason
      .describe("why the suggestion is not in this department's remit, for the office to route it again")
      .meta({ examples: ['公交站候车亭属市交通委职责，不属于本局办理范围，请重新交办。'] }),
  })
  .strict()
  .describe('The lead department returns a suggestion outside its remit (退回)')
  .meta({ examples: [{ reason: '公交站候车亭属市交通委职责，不属于本局办理范围，请重新交办。' }] });

export const extensionRequestBody = z
  .object({
    days: z
      .number()
      .int()
      .min(1)
      .max(366)
      .describe('how many more days the reply needs, counted like the reply limit (1–366)')
      .meta({ examples: [15] }),
    reason: reason.describe('why the reply needs longer').meta({ examples: ['候车亭选址涉及道路红线调整，需征求规划部门意见，申请延期15日答复。'] }),
  })
  .strict()
  .describe('The lead department asks a supervisor for more time (延期申请)')
  .meta({ examples: [{ days: 15, reason: '候车亭选址涉及道路红线调整，需征求规划部门意见，申请延期15日答复。' }] });

export const extensionDecisionBody = z
  .object({
    approve: z.boolean().describe('true grants the extension asked for; false refuses it'),
    reason: reason.describe('why it is granted or refused').meta({ examples: ['同意延期。请在新的期限前答复建议人。'] }),
  })
  .strict()
  .describe('A supervisor grants or refuses an extension (延期审批)')
  .meta({ examples: [{ approve: true, reason: '同意延期。请在新的期限前答复建议人。' }] });

export const opinionBody = z
  .object({
    opinion: z
      .string()
      .trim()
      .min(2)
      .max(10000)
      .describe("a co-handling department's opinion for the lead department (会办意见)")
      .meta({ examples: ['杨浦区同意在政通路口东侧人行道设置候车亭，施工期间由区建管委协调占道。'] }),
  })
  .strict()
  .describe('A co-handling department gives its opinion to the lead (会办意见)')
  .meta({ examples: [{ opinion: '杨浦区同意在政通路口东侧人行道设置候车亭，施工期间由区建管委协调占道。' }] });

export const outOfScopeBody = z
  .object({
    kind: z
      .enum(outOfScopeKinds)
      .describe('why it is not a suggestion (Art 10): a personal claim, or a matter for a court, arbitration or administrative review'),
    reason: reason
      .describe('what the office found, for the record')
      .meta({ examples: ['来信反映的是个人劳动报酬纠纷，属于劳动争议，不属于人民建议征集范围。'] }),
    /** Where the proposer should turn instead: a court, an arbitration commission, the petitions office … */
    referral: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('where the proposer should turn instead, as they are told')
      .meta({ examples: ['请向杨浦区劳动人事争议仲裁委员会申请仲裁，地址：杨浦区控江路1555号。'] }),
  })
  .strict()
  .describe('The office closes what is not a suggestion and tells the proposer where to turn')
  .meta({
    examples: [
      {
        kind: 'arbitration',
        reason: '来信反映的是个人劳动报酬纠纷，属于劳动争议，不属于人民建议征集范围。',
        referral: '请向杨浦区劳动人事争议仲裁委员会申请仲裁，地址：杨浦区控江路1555号。',
      },
    ],
  });

export const urgentBody = z
  .object({
    reason: reason
      .describe('why it cannot wait: a danger to people or property (Art 14)')
      .meta({ examples: ['建议人反映国定路桥下积水井盖缺失，存在行人坠落危险，需立即处置。'] }),
  })
  .strict()
  .describe('The office puts a suggestion on the emergency fast path (Art 14)')
  .meta({ examples: [{ reason: '建议人反映国定路桥下积水井盖缺失，存在行人坠落危险，需立即处置。' }] });

export const handoverBody = z
  .object({
    to: z
      .string()
      .regex(/^(?:[a-z][a-z0-9_-]{1,63}|\d{9})$/, 'city, a district code or a street code')
      .describe('the level it goes to, one above or below the one holding it: city, a district code, or a street or town by its nine digits')
      .meta({ examples: ['yangpu'] }),
    reason: reason.describe('why that level should take it on').meta({ examples: ['涉及杨浦区内道路，由区征集办交办区级部门办理。'] }),
  })
  .strict()
  .describe('The office holding a suggestion hands it to the level above or below (转办, 市 → 区 → 街镇 and back)')
  .meta({ examples: [{ to: 'yangpu', reason: '涉及杨浦区内道路，由区征集办交办区级部门办理。' }] });
