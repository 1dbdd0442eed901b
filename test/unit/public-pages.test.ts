import type { Request } from 'express';
import { sentFromThisSite } from '../../api/pages';
import { returnPath } from '../../api/pages/elder';
import { label, languages, webReplyChannels } from '../../api/pages/i18n';
import { href, html, layout, renderPage } from '../../api/pages/layout';
import { receiptPage, receiptText } from '../../api/pages/receipt';
import { forProposer, proposerEvents, proposerStatus } from '../../api/proposer-tracking';
import type { SuggestionView } from '../../domain/suggestion';
import { adoptionUsages, outcomes, replyChannels, satisfactionRatings, suggestionStatuses } from '../../domain/vocabulary';
import { loadProfileFile, shippedProfiles } from '../../profiles';

// The pure parts of the citizens' pages: every word of the vocabulary has its Chinese and English
// label, values are escaped into markup, and a form is taken only from the site itself.

test('every district, category, outcome, status, rating, usage and timeline event a citizen can see has a label in both languages', () => {
  const words: [Exclude<keyof typeof label, 'district' | 'category'>, readonly string[]][] = [
    ['outcome', outcomes],
    ['status', suggestionStatuses],
    ['rating', satisfactionRatings],
    ['usage', adoptionUsages],
    ['event', [...proposerEvents]],
    ['replyChannel', webReplyChannels],
  ];
  const missing: string[] = [];
  for (const [kind, values] of words) {
    for (const value of values) {
      const [zh, en] = languages.map((lang) => label[kind](lang, value));
      if (zh === value || en === value || zh === en || !/[\u4e00-\u9fff]/.test(zh)) missing.push(`${kind} ${value}: ${zh} / ${en}`);
    }
  }
  for (const city of shippedProfiles()) {
    const { profile } = loadProfileFile(city);
    for (const kind of ['district', 'category'] as const) {
      for (const value of profile.codes(kind)) {
        const [zh, en] = languages.map((lang) => label[kind](lang, value, profile));
        if (zh === value || en === value || zh === en || !/[\u4e00-\u9fff]/.test(zh)) missing.push(`${city} ${kind} ${value}: ${zh} / ${en}`);
      }
    }
  }
  expect(missing).toEqual([]);
  expect(webReplyChannels.every((c) => (replyChannels as readonly string[]).includes(c))).toBe(true);
});

test('values are escaped into markup, markup built the same way is kept, and links carry the language', () => {
  const title = '<script>alert("x")</script> & \'more\'';
  expect(html`<h2 title="${title}">${title}</h2>`.text).toBe(
    '<h2 title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;</h2>',
  );
  expect(html`<ul>${['a<b', html`<li>kept</li>`]}${undefined}${false}</ul>`.text).toBe('<ul>a&lt;b<li>kept</li></ul>');
  expect(href('zh', '/board', { district: 'yangpu', category: '', page: 2 })).toBe('/board?district=yangpu&page=2');
  expect(href('en', '/board', { campaign: 'a&b' })).toBe('/board?campaign=a%26b&lang=en');
  expect(href('zh', '/status')).toBe('/status');
});

test('a form is taken from this site, from a client that is not a browser, and from nowhere else', () => {
  const request = (headers: Record<string, string>) => ({ get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;
  const host = { host: 'jianyi.example.cn' };
  expect(sentFromThisSite(request({ ...host, 'sec-fetch-site': 'same-origin' }))).toBe(true);
  expect(sentFromThisSite(request({ ...host, 'sec-fetch-site': 'none' }))).toBe(true);
  expect(sentFromThisSite(request({ ...host, 'sec-fetch-site': 'cross-site', origin: 'https://jianyi.example.cn' }))).toBe(false);
  expect(sentFromThisSite(request({ ...host, 'sec-fetch-site': 'same-site' }))).toBe(false);
  expect(sentFromThisSite(request({ ...host, origin: 'https://jianyi.example.cn' }))).toBe(true);
  expect(sentFromThisSite(request({ ...host, origin: 'https://elsewhere.example' }))).toBe(false);
  expect(sentFromThisSite(request({ ...host, origin: 'null' }))).toBe(false);
  expect(sentFromThisSite(request({ ...host, referer: 'https://jianyi.example.cn/submit?lang=en' }))).toBe(true);
  expect(sentFromThisSite(request({ ...host, referer: 'https://elsewhere.example/page' }))).toBe(false);
  expect(sentFromThisSite(request(host))).toBe(true);
});

test("the proposer sees each milestone's progress reports and the progress events, never who wrote them, and evidence only as a web link", () => {
  const staff = '交通委 王建国';
  const at = (day: number) => `2026-12-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  const view: SuggestionView = {
    id: 'JY-20261201-7K3QXM',
    trackingNumber: 'JY-20261201-7K3QXM',
    status: 'implementing',
    title: '国定路公交站加装候车亭',
    content: '雨天候车的乘客没有遮挡，建议在国定路站加装候车亭。',
    category: 'transport',
    district: 'yangpu',
    channel: 'web',
    publishConsent: true,
    receivedAt: at(1),
    leadDepartment: 'transport',
    coDepartments: [],
    overdue: false,
    decision: { outcome: 'adopted', reply: '将在国定路站加装候车亭。', decidedBy: staff, decidedAt: at(2) },
    repliedAt: at(2),
    feedback: {
      satisfaction: { state: 'awaiting', round: 1, windowEndsAt: at(20), ratings: [] },
      implementation: {
        usage: ['livelihood_measure'],
        summary: '在国定路站加装候车亭。',
        startedAt: at(2),
        revisions: [],
        milestones: [
          {
            id: 'M1',
            title: '现场踏勘',
            ownerDepartment: 'transport',
            dueInWorkingDays: 5,
            dueAt: at(9),
            percent: 60,
            reports: [
              { at: at(3), by: staff, percent: 30, note: '已完成站台测量。', evidenceUrl: 'https://jtw.sh.gov.cn/notice/123' },
              { at: at(4), by: staff, percent: 60, note: '设计方案已报审。', evidenceUrl: 'javascript:alert(1)' },
            ],
          },
        ],
      },
    },
    version: 5,
    timeline: [
      { seq: 1, type: 'registered', actor: 'system', at: at(1) },
      { seq: 2, type: 'decided', actor: staff, at: at(2) },
      { seq: 3, type: 'milestone_progress', actor: staff, at: at(3), detail: { milestoneId: 'M1', percent: 30 } },
      { seq: 4, type: 'milestone_progress', actor: staff, at: at(4), detail: { milestoneId: 'M1', percent: 60 } },
    ],
  };
  const shown = forProposer(view);
  expect(shown.implementation!.milestones[0].reports).toEqual([
    { at: at(3), percent: 30, note: '已完成站台测量。', evidenceUrl: 'https://jtw.sh.gov.cn/notice/123' },
    { at: at(4), percent: 60, note: '设计方案已报审。' },
  ]);
  expect(shown.timeline.map((e) => e.type)).toEqual(['registered', 'decided', 'milestone_progress', 'milestone_progress']);
  expect(JSON.stringify(shown)).not.toContain('王建国');
  // The JSON endpoint answers through the schema: it keeps the reports, so the document lists them.
  expect(proposerStatus.parse(shown)).toEqual(shown);
});

test('every page shows the help line, dialable, with its hours: the city hotline all day unless configured otherwise', () => {
  const page = layout({ lang: 'zh', title: '建议成果公开', path: '/board', body: html`<p>…</p>` });
  const hotline = renderPage(page, { help: { phone: '12345' }, elder: false }).text;
  expect(hotline).toContain('咨询电话：<a href="tel:12345">12345</a>（全天 24 小时）');
  const office = renderPage(page, { help: { phone: '021-6321 1234', hours: '工作日 9:00–17:00' }, elder: false }).text;
  expect(office).toContain('<a href="tel:02163211234">021-6321 1234</a>（工作日 9:00–17:00）');
  const english = renderPage(layout({ lang: 'en', title: 'Published outcomes', path: '/board', body: html`` }), {
    help: { phone: '12345' },
    elder: false,
  }).text;
  expect(english).toContain('Help line: <a href="tel:12345">12345</a> (24 hours a day)');
});

test('a receipt says when the reply is due, marked provisional when the holiday schedule is a forecast, and where to look when it cannot tell', () => {
  const facts = {
    trackingNumber: 'JY-20261201-7K3QXM',
    token: 'K7QX2-M9HPA-3RTWE-YB8NC',
    title: '国定路公交站加装候车亭',
    receivedAt: '2026-12-01T02:00:00.000Z',
  };
  const help = { phone: '12345' };
  const text = receiptText(
    'zh',
    { ...facts, replyBy: { dueAt: new Date('2027-01-04T15:59:59.999Z'), dueAtProvisional: true } },
    help,
    'https://jianyi.example.cn/status',
  );
  expect(text.startsWith('\ufeff')).toBe(true);
  expect(text.split('\r\n')).toEqual(
    expect.arrayContaining([
      '建议编号：JY-20261201-7K3QXM',
      '查询码：K7QX2-M9HPA-3RTWE-YB8NC',
      '收到日期：2026-12-01',
      expect.stringMatching(/^答复期限：2027-01-04前 （按预测的节假日安排计算/),
      '- 在本网站的“查询进度”页面输入建议编号和查询码：https://jianyi.example.cn/status',
    ]),
  );
  const unknown = renderPage(receiptPage('en', facts, help, 'https://jianyi.example.cn/status?lang=en'), { help, elder: false }).text;
  expect(unknown).toContain('<dd id="reply-by">You can see the reply deadline on the “Track your suggestion” page at any time</dd>');
  expect(unknown).toContain('<a href="/status?lang=en">https://jianyi.example.cn/status?lang=en</a>');
});

test('the elder-friendly switch leads back to a page of this site and nowhere else', () => {
  const pages = ['/board', '/campaigns', '/submit', '/status'];
  expect(returnPath('/board?district=yangpu&lang=en', pages)).toBe('/board?district=yangpu&lang=en');
  expect(returnPath('/submit?campaign=life-circle-15min', pages)).toBe('/submit?campaign=life-circle-15min');
  for (const back of [
    'https://elsewhere.example/board',
    '//elsewhere.example/board',
    '/\\elsewhere.example/board',
    '/\telsewhere',
    'board',
    '/v1/suggestions',
    '/board/../v1/admin/api-keys',
    '/elder?on=1',
    undefined,
    ['/board'],
  ]) {
    expect([back, returnPath(back, pages)]).toEqual([back, '/board']);
  }
});
