import { parseCsv } from '../../domain/csv';
import { readCalls, readHeader } from '../../domain/hotline-import';
import { loadProfileFile } from '../../profiles';

// Rows of a 12345 hotline export become hotline suggestions, or rejections a clerk can act on.

const header = '工单编号,受理时间,标题,内容,类别,所属区,来电人,来电号码,答复方式,同意公开,坐席';

function read(...rows: string[]) {
  const [head, ...data] = parseCsv([header, ...rows].join('\n'));
  const { columns } = readHeader(head.fields);
  // The categories and districts a row may name are the city profile's (Shanghai's here).
  return readCalls(data, columns, loadProfileFile('shanghai').profile);
}

test("the header is read by the hotline's Chinese names or the English ones; other columns are ignored, missing required ones named", () => {
  expect(readHeader(parseCsv(header)[0].fields)).toMatchObject({ ignored: ['坐席'], missing: [] });
  expect(readHeader(['work_order', 'TITLE', 'content', '类别', 'district', 'phone', 'notes'])).toEqual({
    columns: { work_order: 0, title: 1, content: 2, category: 3, district: 4, phone: 5 },
    ignored: ['notes'],
    missing: ['received_at'],
  });
});

test('a complete row becomes what intake staff would register: local time in Shanghai, reply by phone unless the caller chose otherwise', () => {
  const { calls, rejected } = read(
    'GD-20261120-0001,2026-11-20 09:15,Lift for No. 12 Lane 300,"The building has six floors, no lift, and many elderly residents.",housing,putuo,Li Hua,13900000001,,是,desk 3',
  );
  expect(rejected).toEqual([]);
  expect(calls).toEqual([
    {
      line: 2,
      workOrder: 'GD-20261120-0001',
      suggestion: expect.objectContaining({
        channel: 'hotline',
        title: 'Lift for No. 12 Lane 300',
        category: 'housing',
        district: 'putuo',
        receivedAt: '2026-11-20T09:15:00+08:00',
        publishConsent: true,
        proposer: { name: 'Li Hua', phone: '13900000001', replyChannel: 'phone' },
        source: { workOrder: 'GD-20261120-0001' },
      }),
    },
  ]);
});

test('each rejected row says which column is wrong and why; a work order seen twice is rejected the second time', () => {
  const { calls, rejected } = read(
    'GD-1001,2026-11-20 09:15,Bus stop,Move the stop fifty metres north.,transport,yangpu,,13900000002,sms,no,',
    'GD-1002,yesterday,Bus stop,Move the stop fifty metres north.,roads,atlantis,,13900000004,sms,maybe,',
    'GD-1001,2026-11-20 10:00,Bus stop again,Move the stop fifty metres north.,transport,yangpu,,13900000003,,,',
  );
  expect(calls.map((c) => c.workOrder)).toEqual(['GD-1001']);
  expect(rejected).toHaveLength(2);
  const [bad, duplicate] = rejected;
  expect(bad.line).toBe(3);
  const columnsAtFault = bad.reasons.map((r) => r.split(':')[0]).sort();
  expect(columnsAtFault).toEqual(['category', 'district', 'publish_consent', 'received_at']);
  expect(duplicate).toEqual({ line: 4, workOrder: 'GD-1001', reasons: ['work_order: GD-1001 already appears on line 2'] });
});
