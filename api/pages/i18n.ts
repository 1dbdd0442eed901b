import type { Request } from 'express';
import type { CityProfile } from '../../domain/profile';
import type { AdoptionUsage, Outcome, SatisfactionRating, SuggestionStatus } from '../../domain/vocabulary';

// The public pages speak Chinese unless the reader asks for English (?lang=en, which every link
// and form action on an English page carries). Every word a citizen reads is here, in both
// languages, so the two stay alike.

export const languages = ['zh', 'en'] as const;
export type Lang = (typeof languages)[number];

/** The language of this request: English only when asked for, Chinese otherwise. */
export function langOf(req: Request): Lang {
  return req.query.lang === 'en' ? 'en' : 'zh';
}

/** The value of <html lang>. */
export const htmlLang: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

type Words<K extends string> = Record<K, readonly [zh: string, en: string]>;

function pick<K extends string>(words: Words<K>, lang: Lang, key: string): string {
  const pair = (words as Record<string, readonly [string, string]>)[key];
  return pair ? pair[lang === 'zh' ? 0 : 1] : key;
}

const outcomeWords: Words<Outcome> = {
  adopted: ['采纳', 'Adopted'],
  partially_adopted: ['部分采纳', 'Partially adopted'],
  for_reference: ['留作参考', 'Kept for reference'],
  not_adopted: ['不予采纳', 'Not adopted'],
};

const statusWords: Words<SuggestionStatus> = {
  received: ['已登记', 'Registered'],
  triage: ['分办中', 'Being routed'],
  handling: ['办理中', 'Being handled'],
  merged: ['合并办理中', 'Handled with others on the same matter'],
  decided: ['已作出决定', 'Decided'],
  replied: ['已答复', 'Replied'],
  rehandling: ['重新办理中', 'Being handled again'],
  implementing: ['落实中', 'Being carried out'],
  implemented: ['已落实', 'Carried out'],
  closed: ['已办结', 'Closed'],
};

const eventWords: Words<string> = {
  registered: ['登记受理', 'Registered'],
  assigned: ['交办部门', 'Sent to the department'],
  reassigned: ['改派部门', 'Sent to another department'],
  decided: ['作出决定', 'Decided'],
  decided_again: ['重新作出决定', 'Decided again'],
  replied: ['答复', 'Replied to you'],
  implementation_started: ['开始落实', 'Implementation started'],
  plan_revised: ['调整落实计划', 'Plan revised'],
  milestone_progress: ['部门报告落实进展', 'The department reported progress'],
  milestone_done: ['完成一项落实步骤', 'A step was completed'],
  implemented: ['落实完成', 'Carried out'],
  rated: ['您作出评价', 'You rated the handling'],
  not_rated: ['评价期结束（未评价）', 'Rating period ended without a rating'],
  rehandling_opened: ['重新办理', 'Handling reopened'],
  merged_into: ['与同一事项的其他建议合并办理', 'Handled together with other suggestions on the same matter'],
  unmerged: ['恢复单独办理', 'Handled on its own again'],
  campaign_feedback: ['征集结果集中反馈', 'Campaign results published'],
  closed: ['办结', 'Closed'],
};

const ratingWords: Words<SatisfactionRating> = {
  satisfied: ['满意', 'Satisfied'],
  basically_satisfied: ['基本满意', 'Basically satisfied'],
  dissatisfied: ['不满意', 'Dissatisfied'],
};

const usageWords: Words<AdoptionUsage> = {
  livelihood_measure: ['民生举措参考', 'Reference for livelihood measures'],
  improving_work: ['改进工作', 'Improving the work of an office'],
  law_or_policy: ['法规政策制定修改', 'Making or amending laws and policies'],
  congress_supervision_topic: ['人大监督议题', "People's congress supervision topic"],
  deputies_bill: ['代表议案', "Deputies' bill"],
  decision: ['决策参考', 'Decision making'],
  other: ['其他', 'Other'],
};

/** How the proposer can be answered from the web form; a written reply needs a postal address the form does not ask for. */
export const webReplyChannels = ['online', 'sms', 'phone', 'email'] as const;
const replyChannelWords: Words<(typeof webReplyChannels)[number]> = {
  online: ['网上查询（凭查询码）', 'Online, with the tracking token'],
  sms: ['短信', 'Text message'],
  phone: ['电话', 'Phone call'],
  email: ['电子邮件', 'E-mail'],
};

export const label = {
  /** Districts and categories are the city's: their names come from its profile. */
  district: (lang: Lang, v: string, profile: CityProfile) => profile.label('district', v, lang),
  category: (lang: Lang, v: string, profile: CityProfile) => profile.label('category', v, lang),
  outcome: (lang: Lang, v: string) => pick(outcomeWords, lang, v),
  status: (lang: Lang, v: string) => pick(statusWords, lang, v),
  event: (lang: Lang, v: string) => pick(eventWords, lang, v),
  rating: (lang: Lang, v: string) => pick(ratingWords, lang, v),
  usage: (lang: Lang, v: string) => pick(usageWords, lang, v),
  replyChannel: (lang: Lang, v: string) => pick(replyChannelWords, lang, v),
};

const messages = {
  siteName: ['人民建议征集', "People's Suggestions"],
  skipToContent: ['跳到主要内容', 'Skip to main content'],
  navLabel: ['主导航', 'Main'],
  navBoard: ['建议成果公开', 'Published outcomes'],
  navCampaigns: ['正在征集', 'Open campaigns'],
  navSubmit: ['提交建议', 'Make a suggestion'],
  navStatus: ['查询进度', 'Track your suggestion'],
  otherLanguage: ['English', '中文'],
  elderMode: ['长辈版', 'Elder-friendly view'],
  standardMode: ['标准版', 'Standard view'],
  helpLine: ['咨询电话：', 'Help line: '],
  helpAllDay: ['全天 24 小时', '24 hours a day'],
  footer: [
    '依据《上海市人民建议征集若干规定》办理。建议人的身份和联系方式严格保密，不予公开。',
    "Handled under Shanghai's regulation on collecting people's suggestions. The proposer's identity and contact details are confidential and never published.",
  ],

  boardTitle: ['建议成果公开', 'Published outcomes'],
  boardIntro: [
    '经建议人同意公开的已采纳、部分采纳建议，以及落实情况。',
    'Adopted and partially adopted suggestions whose proposers agreed to publication, and how far they have been carried out.',
  ],
  filters: ['筛选', 'Filter'],
  any: ['全部', 'All'],
  department: ['办理部门', 'Department'],
  district: ['所属区', 'District'],
  category: ['类别', 'Category'],
  campaign: ['征集活动', 'Campaign'],
  applyFilters: ['筛选', 'Apply filters'],
  badFilter: ['筛选条件无效，已显示全部结果。', 'A filter was not valid, so everything is shown.'],
  noResults: ['暂无符合条件的公开建议。', 'No published suggestions match.'],
  resultCount: ['共 {n} 条', '{n} in all'],
  outcome: ['办理结果', 'Outcome'],
  whatChanged: ['采纳后的变化', 'What changes'],
  usage: ['转化方式', 'How it is used'],
  progress: ['落实进度', 'Progress'],
  milestoneDone: ['已完成', 'done'],
  receivedOn: ['收到日期', 'Received'],
  decidedOn: ['决定日期', 'Decided'],
  implementedOn: ['落实完成日期', 'Carried out'],
  due: ['计划完成', 'due'],
  award: ['{year} 年度优秀人民建议', 'Outstanding suggestion of {year}'],
  pagination: ['分页', 'Pages'],
  previous: ['上一页', 'Previous page'],
  next: ['下一页', 'Next page'],
  pageOf: ['第 {page} 页，共 {pages} 页', 'Page {page} of {pages}'],

  campaignsTitle: ['正在征集', 'Open campaigns'],
  campaignsIntro: ['以下专题征集正在接收建议，截止前均可提交。', 'These campaigns are taking suggestions until their closing date.'],
  noCampaigns: ['目前没有正在进行的征集活动。您仍可随时提交建议。', 'No campaign is open right now. You can still make a suggestion at any time.'],
  topics: ['征集主题', 'Topics'],
  closes: ['截止时间', 'Closes'],
  areas: ['范围', 'Districts'],
  submitToCampaign: ['参与「{title}」征集', 'Make a suggestion for “{title}”'],

  submitTitle: ['提交建议', 'Make a suggestion'],
  submitCampaignTitle: ['提交建议：{title}', 'Make a suggestion: {title}'],
  submitIntro: [
    '请写明建议的主题、理由和具体措施。带 * 的为必填项。',
    'Say what your suggestion is about, why, and what should be done. Fields marked * are required.',
  ],
  fieldTitle: ['标题 *', 'Title *'],
  fieldTitleHint: ['2–200 字', '2–200 characters'],
  fieldContent: ['建议内容 *', 'Your suggestion *'],
  fieldContentHint: ['至少 10 字：现状、理由和建议的措施', 'At least 10 characters: the situation, why it matters and what should be done'],
  fieldTopic: ['征集主题', 'Topic'],
  aboutYou: ['您的联系方式（保密，仅用于答复）', 'How to reach you (confidential, used only to reply)'],
  fieldName: ['姓名', 'Name'],
  fieldPhone: ['手机或电话', 'Phone'],
  fieldEmail: ['电子邮箱', 'E-mail address'],
  fieldReplyChannel: ['答复方式', 'How you want the reply'],
  consentLegend: ['公开', 'Publication'],
  fieldConsent: ['如被采纳，同意公开建议标题和落实情况（不公开您的身份）', 'If adopted, you may publish the title and what was done (never who I am)'],
  send: ['提交', 'Send'],
  checkSimilar: ['先看看有没有类似的建议', 'First, look for similar suggestions'],
  similarHeading: ['已答复并公开的类似建议', 'Similar suggestions already answered and published'],
  similarIntro: [
    '下面的建议和您写的相近，已有答复。如果您的想法已被采纳，不必再提；如有不同，请照常提交。',
    'These published suggestions are close to what you wrote and have been answered. If your idea is already adopted you need not send it again; if yours is different, send it as usual.',
  ],
  similarNone: ['没有找到已公开的类似建议，请提交。', 'No similar published suggestion was found: please send yours.'],
  formHasErrors: ['请修改以下内容后再提交：', 'Please correct the following and send again:'],
  choose: ['请选择', 'Choose'],
  errTitle: ['请填写 2–200 字的标题', 'Give a title of 2–200 characters'],
  errContent: ['建议内容至少 10 字，最多 20000 字', 'Write at least 10 and at most 20,000 characters'],
  errCategory: ['请选择类别', 'Choose a category'],
  errDistrict: ['请选择所属区', 'Choose a district'],
  errName: ['姓名最多 100 字', 'A name has at most 100 characters'],
  errPhone: ['请填写有效的电话号码（数字、空格或横线）', 'Give a phone number of digits, spaces and dashes'],
  errEmail: ['请填写有效的电子邮箱', 'Give a valid e-mail address'],
  errReplyChannel: ['所选答复方式需要填写相应的电话或邮箱', 'The reply you chose needs the matching phone number or e-mail address'],
  errTopic: ['请选择征集主题', 'Choose one of the topics'],
  errCampaign: ['该征集活动目前不接收建议', 'This campaign is not taking suggestions now'],
  errOther: ['提交的内容有误', 'Something in the form is not valid'],
  receiptTitle: ['建议已收到', 'Your suggestion is registered'],
  receiptIntro: [
    '感谢您的建议。请妥善保存下面的建议编号和查询码：凭这两项可查询办理进度、查看答复并作出评价。查询码只显示这一次。',
    'Thank you. Keep the tracking number and the tracking token below: with both you can follow your suggestion, read the reply and rate it. The token is shown only this once.',
  ],
  receiptHeading: ['建议回执', 'Receipt'],
  replyBy: ['答复期限', 'Reply due by'],
  replyByDate: ['{date}前', '{date}'],
  replyByUnknown: ['答复期限可随时在“查询进度”页面查看', 'You can see the reply deadline on the “Track your suggestion” page at any time'],
  tokenNote: [
    '查询码共 20 位，由数字和字母组成（不含 0、O、1、I、L），输入时不区分大小写，可不输入横线。',
    'The token is 20 digits and letters (never 0, O, 1, I or L); type it in any case, with or without the dashes.',
  ],
  followUpHeading: ['如何查询', 'How to follow up'],
  followUpOnline: ['在本网站的“查询进度”页面输入建议编号和查询码：', 'Enter the tracking number and the token on the “Track your suggestion” page: '],
  followUpPhone: ['或拨打咨询电话 ', 'or call the help line, '],
  followUpPhoneAfter: ['，说明建议编号。', ', giving the tracking number.'],
  keepSecret: [
    '请勿将查询码告诉他人：凭建议编号和查询码即可查看答复并作出评价。',
    'Do not tell anyone the token: with it and the number, anyone can read the reply and rate it.',
  ],
  printHint: [
    '打印回执：请使用浏览器的“打印”功能（电脑上按 Ctrl+P，苹果电脑按 ⌘+P；手机在浏览器菜单中选择“打印”），只会打印回执内容。',
    'To print the receipt, use your browser’s Print command (Ctrl+P, or ⌘+P on a Mac; on a phone, Print in the browser’s menu): only the receipt is printed.',
  ],
  saveReceipt: ['保存回执（文本文件）', 'Save the receipt (text file)'],
  receiptFile: ['建议回执-{number}.txt', 'receipt-{number}.txt'],
  trackingNumber: ['建议编号', 'Tracking number'],
  trackingToken: ['查询码', 'Tracking token'],
  openStatus: ['查看办理进度', 'Follow your suggestion'],

  statusTitle: ['查询办理进度', 'Track your suggestion'],
  statusIntro: ['请输入建议编号和提交时获得的查询码。', 'Enter the tracking number and the tracking token you were given.'],
  lookUp: ['查询', 'Look up'],
  trackingNumberHint: ['格式示例：{example}（见回执或短信）', 'Written like this example: {example} (on your receipt or text message)'],
  trackingTokenHint: ['20 位数字和字母，不区分大小写，可不输入横线', '20 digits and letters, in any case, with or without the dashes'],
  mismatch: ['建议编号与查询码不匹配', 'The tracking number and the token do not match'],
  notFound: [
    '未找到与该编号和查询码相符的建议，请核对后重试。如遗失查询码，请拨打咨询电话。',
    'No suggestion matches this tracking number and token. Please check them and try again; if you have lost the token, call the help line.',
  ],
  needBoth: ['请填写建议编号和查询码', 'Enter both the tracking number and the token'],
  yourSuggestion: ['您的建议', 'Your suggestion'],
  status: ['当前状态', 'Status'],
  dueBy: ['办理时限', 'Due by'],
  dueProvisional: [
    '（按预测的节假日安排计算，国务院公布当年安排后可能调整）',
    '(counted on the forecast of a holiday schedule not yet published; it may still move)',
  ],
  reply: ['答复', 'Reply'],
  reason: ['理由', 'Reason'],
  implementation: ['落实情况', 'Implementation'],
  reportsOf: ['{title}的进展报告', 'Progress reports on {title}'],
  reportPercent: ['进度 {percent}%', 'at {percent}%'],
  evidence: ['佐证材料（{host}）', 'Evidence ({host})'],
  campaignResults: ['征集结果', 'Campaign results'],
  timeline: ['办理过程', 'What happened'],
  yourRatings: ['您的评价', 'Your ratings'],
  rateTitle: ['对办理情况作出评价', 'Rate the handling'],
  rateWindow: ['请在 {date} 前评价。', 'Please rate by {date}.'],
  rateLegend: ['您对办理结果是否满意？', 'Are you satisfied with how your suggestion was handled?'],
  comment: ['意见（选填）', 'Comment (optional)'],
  sendRating: ['提交评价', 'Send rating'],
  rated: ['感谢您的评价，已记录。', 'Thank you: your rating is recorded.'],
  chooseRating: ['请选择一项评价', 'Choose one of the ratings'],
  cannotRate: [
    '目前不能评价：尚未答复、已经评价或评价期已结束。',
    'Nothing to rate now: there is no reply yet, you already rated it, or the rating period has ended.',
  ],
  rehandlingDue: ['已重新交办，新的办理时限：{date}', 'Sent back for another round; due by {date}'],

  tooMany: ['请求过于频繁，请稍后再试。', 'Too many requests. Please try again in a moment.'],
  unavailable: ['服务暂时不可用，请稍后再试。', 'The service is briefly unavailable. Please try again in a moment.'],
  forbiddenOrigin: ['该表单只能从本网站提交。', 'This form can only be sent from this website.'],
  pageNotFound: ['页面不存在。', 'This page does not exist.'],
  errorTitle: ['出错了', 'Something went wrong'],
} as const;

export type MessageKey = keyof typeof messages;

/** A message in the reader's language, with {placeholders} filled in (the caller escapes the result for HTML). */
export function t(lang: Lang, key: MessageKey, values: Record<string, string | number> = {}): string {
  const text: string = messages[key][lang === 'zh' ? 0 : 1];
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(values[name] ?? `{${name}}`));
}
