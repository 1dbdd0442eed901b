import { submitSuggestionSchema } from '../../domain/intake';

// Each channel brings what only it has: the 12345 work order, the station, the reception point,
// the rated portal service and its one or two stars; and nothing that belongs to another channel.

const base = {
  title: 'Longer green light at the school crossing',
  content: 'Children cannot cross Huaihai Road in one green phase; please lengthen it at school times.',
  category: 'transport',
  district: 'xuhui',
};

const fieldsAtFault = (input: object) => {
  const result = submitSuggestionSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

test.each([
  ['web', {}],
  ['letter', {}],
  ['email', { proposer: { email: 'li@example.cn', replyChannel: 'email' } }],
  ['hotline', { proposer: { phone: '13800000009', replyChannel: 'phone' }, source: { workOrder: '12345-2026-000817' } }],
  ['station', { source: { stationId: 'yangpu-riverside-03' } }],
  ['visit', { source: { receptionPoint: 'Xuhui district reception office' } }],
  ['service_rating', { source: { serviceItem: 'Residence permit renewal', rating: 2 } }],
])('a %s suggestion with its channel fields is accepted', (channel, extra) => {
  expect(fieldsAtFault({ ...base, channel, ...extra })).toEqual([]);
});

test.each([
  ['hotline', { proposer: { phone: '13800000009' } }, ['source.workOrder']],
  ['station', {}, ['source.stationId']],
  ['visit', {}, ['source.receptionPoint']],
  ['service_rating', { source: { serviceItem: 'Residence permit renewal' } }, ['source.rating']],
  ['service_rating', {}, ['source.serviceItem', 'source.rating']],
])('a %s suggestion without its channel fields names the missing ones', (channel, extra, missing) => {
  expect(fieldsAtFault({ ...base, channel, ...extra })).toEqual(missing);
});

test('a service rating is one or two stars: three stars is no complaint', () => {
  expect(fieldsAtFault({ ...base, channel: 'service_rating', source: { serviceItem: 'Residence permit renewal', rating: 3 } })).toEqual(['source.rating']);
});

test('fields of another channel are refused rather than silently kept', () => {
  expect(fieldsAtFault({ ...base, channel: 'web', source: { workOrder: '12345-2026-000817' } })).toEqual(['source.workOrder']);
  expect(fieldsAtFault({ ...base, channel: 'station', source: { stationId: 'pudong-01', rating: 1 } })).toEqual(['source.rating']);
});
