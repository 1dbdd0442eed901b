import type { AdoptionUsage, Category, Channel, District, Outcome, SatisfactionRating, StaffRole, SuggestionStatus } from './vocabulary';

// The vocabulary's words as staff read them, in Chinese and English: the staff workbench's
// labels and the summary each suggestion's workflow shows in the Temporal UI (api/intake.ts).

export type Words<K extends string> = Record<K, readonly [zh: string, en: string]>;

export const categoryWords: Words<Category> = {
  transport: ['交通出行', 'Transport'],
  city_appearance: ['市容绿化', 'City appearance'],
  planning: ['规划资源', 'Planning'],
  housing: ['住房物业', 'Housing'],
  health: ['卫生健康', 'Health'],
  education: ['教育', 'Education'],
  environment: ['生态环境', 'Environment'],
  elderly_care: ['养老服务', 'Elderly care'],
  market_regulation: ['市场监管', 'Market regulation'],
  public_safety: ['公共安全', 'Public safety'],
  culture_tourism: ['文化旅游', 'Culture and tourism'],
  digital_government: ['数字政府', 'Digital government'],
  other: ['其他', 'Other'],
};

export const districtWords: Words<District> = {
  city: ['市级', 'City level'],
  huangpu: ['黄浦区', 'Huangpu'],
  xuhui: ['徐汇区', 'Xuhui'],
  changning: ['长宁区', 'Changning'],
  jingan: ['静安区', "Jing'an"],
  putuo: ['普陀区', 'Putuo'],
  hongkou: ['虹口区', 'Hongkou'],
  yangpu: ['杨浦区', 'Yangpu'],
  minhang: ['闵行区', 'Minhang'],
  baoshan: ['宝山区', 'Baoshan'],
  jiading: ['嘉定区', 'Jiading'],
  pudong: ['浦东新区', 'Pudong'],
  jinshan: ['金山区', 'Jinshan'],
  songjiang: ['松江区', 'Songjiang'],
  qingpu: ['青浦区', 'Qingpu'],
  fengxian: ['奉贤区', 'Fengxian'],
  chongming: ['崇明区', 'Chongming'],
};

export const channelWords: Words<Channel> = {
  web: ['网上', 'Web'],
  hotline: ['12345 热线', '12345 hotline'],
  letter: ['来信', 'Letter'],
  email: ['电子邮件', 'E-mail'],
  visit: ['来访', 'Visit'],
  station: ['征集站', 'Collection station'],
  service_rating: ['服务评价', 'Service rating'],
  campaign: ['主动征集', 'Campaign'],
  open311: ['Open311 应用', 'Open311 app'],
};

export const statusWords: Words<SuggestionStatus> = {
  received: ['已登记', 'Registered'],
  triage: ['待甄别分办', 'To route'],
  handling: ['办理中', 'Handling'],
  merged: ['已合并办理', 'Merged'],
  decided: ['已决定', 'Decided'],
  replied: ['已答复', 'Replied'],
  rehandling: ['重新办理', 'Re-handling'],
  implementing: ['落实中', 'Implementing'],
  implemented: ['已落实', 'Implemented'],
  closed: ['已办结', 'Closed'],
};

export const outcomeWords: Words<Outcome> = {
  adopted: ['采纳', 'Adopted'],
  partially_adopted: ['部分采纳', 'Partially adopted'],
  for_reference: ['留作参考', 'For reference'],
  not_adopted: ['不予采纳', 'Not adopted'],
};

export const usageWords: Words<AdoptionUsage> = {
  livelihood_measure: ['民生举措参考', 'Livelihood measure'],
  improving_work: ['改进工作', 'Improving the work'],
  law_or_policy: ['法规政策制定修改', 'Law or policy'],
  congress_supervision_topic: ['人大监督议题', 'Congress supervision topic'],
  deputies_bill: ['代表议案', "Deputies' bill"],
  decision: ['决策参考', 'Decision making'],
  other: ['其他', 'Other'],
};

export const ratingWords: Words<SatisfactionRating> = {
  satisfied: ['满意', 'Satisfied'],
  basically_satisfied: ['基本满意', 'Basically satisfied'],
  dissatisfied: ['不满意', 'Dissatisfied'],
};

export const roleWords: Words<StaffRole> = {
  intake: ['受理', 'Intake'],
  office: ['征集办', 'Collection office'],
  department: ['承办部门', 'Department'],
  supervisor: ['督查', 'Supervisor'],
  admin: ['管理员', 'Administrator'],
};

/** Both languages at once, "交通出行 Transport", where one line must serve every reader. */
export function bilingual<K extends string>(words: Words<K>, key: K): string {
  const pair = words[key];
  return pair ? `${pair[0]} ${pair[1]}` : key;
}
