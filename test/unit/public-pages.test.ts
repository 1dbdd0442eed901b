import type { Request } from 'express';
import { sentFromThisSite } from '../../api/pages';
import { label, languages, webReplyChannels } from '../../api/pages/i18n';
import { href, html } from '../../api/pages/layout';
import { proposerEvents } from '../../api/proposer-tracking';
import { adoptionUsages, categories, districts, outcomes, replyChannels, satisfactionRatings, suggestionStatuses } from '../../domain/vocabulary';

// The pure parts of the citizens' pages: every word of the vocabulary has its Chinese and English
// label, values are escaped into markup, and a form is taken only from the site itself.

test('every district, category, outcome, status, rating, usage and timeline event a citizen can see has a label in both languages', () => {
  const words: [keyof typeof label, readonly string[]][] = [
    ['district', districts],
    ['category', categories],
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
