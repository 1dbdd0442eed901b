import { createCampaignSchema, createCollectionSchema } from '../../domain/campaign';
import { demonstrationCampaign, demonstrationCollection } from '../../scripts/demonstration-campaigns';

// What `npm start` publishes on an empty database reads as the office would write it: in Chinese,
// on pages that are Chinese by default, and valid as the office's own API would take it.

const words = (c: { title: string; description: string; topics: string[] }) => [c.title, c.description, ...c.topics];

test('the demonstration campaign and monthly collection are written in Chinese, title, description and every topic', () => {
  const campaign = demonstrationCampaign(new Date('2026-12-01T01:00:00Z'));
  for (const text of [...words(campaign), ...words(demonstrationCollection)]) {
    expect([text, /[\u4e00-\u9fff]{2}/.test(text), /[A-Za-z]{3}/.test(text)]).toEqual([text, true, false]);
  }
  const { id, title, description, topics, leadDepartment, jointDepartments, districts, categories, opensAt, closesAt } = campaign;
  expect(
    createCampaignSchema.safeParse({ id, title, description, topics, leadDepartment, jointDepartments, districts, categories, opensAt, closesAt }).success,
  ).toBe(true);
  expect(createCollectionSchema.safeParse({ id: 'wujiaochang-monthly', ...demonstrationCollection }).success).toBe(true);
});
