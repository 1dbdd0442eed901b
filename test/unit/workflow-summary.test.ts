import { workflowSummary } from '../../api/intake';
import { loadProfileFile } from '../../profiles';

const shanghai = loadProfileFile('shanghai').profile;

// The Temporal UI lists each suggestion's workflow with its summary (user metadata): it must
// read well in both languages and never carry what a proposer wrote, where their name may be.

test("a suggestion's workflow summary names its tracking number, category, district and channel in Chinese and English, and nothing the proposer wrote", () => {
  const summary = workflowSummary('JY-20261126-7K3QXM', { category: 'transport', district: 'yangpu', channel: 'hotline' }, shanghai);
  expect(summary).toBe('JY-20261126-7K3QXM · 交通出行 Transport · 杨浦区 Yangpu · 12345 热线 12345 hotline');
});

test("under another city's profile the summary names that city's district and category", () => {
  const summary = workflowSummary(
    'JY-20261126-7K3QXM',
    { category: 'water_management', district: 'xihu', channel: 'web' } as never,
    loadProfileFile('hangzhou').profile,
  );
  expect(summary).toMatch(/^JY-20261126-7K3QXM · 五水共治 Water management · 西湖区 Xihu · /);
});

test('the summary is built from the vocabulary alone, so a title or content given beside it cannot reach it', () => {
  const submission = {
    category: 'housing' as const,
    district: 'pudong' as const,
    channel: 'web' as const,
    title: '王芳：加装电梯',
    content: '我是王芳，电话 13800000001',
  };
  const summary = workflowSummary('JY-20261126-AAAAAA', submission, shanghai);
  expect(summary).not.toMatch(/王芳|1380|电梯/);
});
