import type { Category, District } from '../domain/vocabulary';

export { streets } from '../domain/streets';

// A realistic starting set for Shanghai: the city bureaus that handle most suggestions, the
// district governments, and a few district bureaus and street offices. The collection office
// edits all of it through the API afterwards.

export interface DepartmentSeed {
  code: string;
  name: string;
  nameEn: string;
  level: 'city' | 'district' | 'street';
  district?: District;
}

export const departments: DepartmentSeed[] = [
  { code: 'collection-office', name: '上海市人民建议征集办公室', nameEn: "Shanghai People's Suggestion Collection Office", level: 'city' },
  { code: 'transport', name: '上海市交通委员会', nameEn: 'Shanghai Municipal Transportation Commission', level: 'city' },
  { code: 'greenery', name: '上海市绿化和市容管理局', nameEn: 'Shanghai Landscaping and City Appearance Administrative Bureau', level: 'city' },
  { code: 'planning', name: '上海市规划和自然资源局', nameEn: 'Shanghai Municipal Bureau of Planning and Natural Resources', level: 'city' },
  { code: 'housing', name: '上海市住房和城乡建设管理委员会', nameEn: 'Shanghai Municipal Commission of Housing and Urban-Rural Development', level: 'city' },
  { code: 'health', name: '上海市卫生健康委员会', nameEn: 'Shanghai Municipal Health Commission', level: 'city' },
  { code: 'education', name: '上海市教育委员会', nameEn: 'Shanghai Municipal Education Commission', level: 'city' },
  { code: 'ecology', name: '上海市生态环境局', nameEn: 'Shanghai Municipal Bureau of Ecology and Environment', level: 'city' },
  { code: 'civil-affairs', name: '上海市民政局', nameEn: 'Shanghai Municipal Civil Affairs Bureau', level: 'city' },
  { code: 'market-regulation', name: '上海市市场监督管理局', nameEn: 'Shanghai Municipal Administration for Market Regulation', level: 'city' },
  { code: 'public-security', name: '上海市公安局', nameEn: 'Shanghai Municipal Public Security Bureau', level: 'city' },
  { code: 'culture-tourism', name: '上海市文化和旅游局', nameEn: 'Shanghai Municipal Administration of Culture and Tourism', level: 'city' },
  { code: 'data-bureau', name: '上海市数据局', nameEn: 'Shanghai Municipal Data Bureau', level: 'city' },
  { code: 'yangpu-gov', name: '杨浦区人民政府', nameEn: 'Yangpu District Government', level: 'district', district: 'yangpu' },
  { code: 'yangpu-housing', name: '杨浦区房屋管理局', nameEn: 'Yangpu District Housing Administration', level: 'district', district: 'yangpu' },
  { code: 'yangpu-wujiaochang', name: '杨浦区五角场街道办事处', nameEn: 'Wujiaochang Subdistrict Office, Yangpu', level: 'street', district: 'yangpu' },
  { code: 'pudong-gov', name: '浦东新区人民政府', nameEn: 'Pudong New Area Government', level: 'district', district: 'pudong' },
  { code: 'pudong-greenery', name: '浦东新区生态环境局', nameEn: 'Pudong New Area Bureau of Ecology and Environment', level: 'district', district: 'pudong' },
  { code: 'xuhui-gov', name: '徐汇区人民政府', nameEn: 'Xuhui District Government', level: 'district', district: 'xuhui' },
  { code: 'huangpu-gov', name: '黄浦区人民政府', nameEn: 'Huangpu District Government', level: 'district', district: 'huangpu' },
  { code: 'jingan-gov', name: '静安区人民政府', nameEn: "Jing'an District Government", level: 'district', district: 'jingan' },
  { code: 'minhang-gov', name: '闵行区人民政府', nameEn: 'Minhang District Government', level: 'district', district: 'minhang' },
  { code: 'songjiang-gov', name: '松江区人民政府', nameEn: 'Songjiang District Government', level: 'district', district: 'songjiang' },
];

export interface RoutingRuleSeed {
  category: Category;
  district?: District;
  /** A street or town of the district, by its statistics code (domain/shanghai-streets.json). */
  street?: string;
  leadDepartment: string;
  coDepartments?: string[];
}

/** City bureaus by category; district bureaus where a district handles its own. "other" is left to triage. */
export const routingRules: RoutingRuleSeed[] = [
  { category: 'transport', leadDepartment: 'transport' },
  { category: 'city_appearance', leadDepartment: 'greenery' },
  { category: 'city_appearance', district: 'pudong', leadDepartment: 'pudong-greenery', coDepartments: ['greenery'] },
  { category: 'planning', leadDepartment: 'planning' },
  { category: 'housing', leadDepartment: 'housing' },
  { category: 'housing', district: 'yangpu', leadDepartment: 'yangpu-housing', coDepartments: ['yangpu-wujiaochang'] },
  // 五角场街道 keeps its own streetscape (街面) matters; the rest of Yangpu goes to the city bureau.
  { category: 'city_appearance', district: 'yangpu', street: '310110019', leadDepartment: 'yangpu-wujiaochang', coDepartments: ['greenery'] },
  { category: 'health', leadDepartment: 'health' },
  { category: 'education', leadDepartment: 'education' },
  { category: 'environment', leadDepartment: 'ecology' },
  { category: 'elderly_care', leadDepartment: 'civil-affairs', coDepartments: ['health'] },
  { category: 'market_regulation', leadDepartment: 'market-regulation' },
  { category: 'public_safety', leadDepartment: 'public-security' },
  { category: 'culture_tourism', leadDepartment: 'culture-tourism' },
  { category: 'digital_government', leadDepartment: 'data-bureau' },
];
