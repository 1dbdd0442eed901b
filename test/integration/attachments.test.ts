import { temporal } from '@temporalio/proto';
import sharp from 'sharp';
import { decryptHistory } from '../../codec';
import { objectStoreConfigFrom, prepareBucket } from '../../storage/object-store';
import { as, client } from '../support/api-client';
import { fileForm, hasGpsIfd, jpegWithGps, objectKeys, pdf, png } from '../support/attachments';
import { rawDescription, rawHistory } from '../support/raw-temporal';
import { eventually, startStack, type Stack } from '../support/stack';

// Photos and documents against the real stack and the real object store (SeaweedFS's S3 gateway).

let stack: Stack;
let call: ReturnType<typeof client>;
let office: string;
let transport: string;
let education: string;
const config = () => objectStoreConfigFrom(process.env)!;

beforeAll(async () => {
  stack = await startStack();
  call = client(stack.baseUrl);
  [office, transport, education] = await Promise.all([
    stack.issueKey('office'),
    stack.issueKey('department', 'transport'),
    stack.issueKey('department', 'education'),
  ]);
});
afterAll(() => stack?.stop());

async function upload(bytes: Buffer, filename: string, type: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}/v1/uploads`, { method: 'POST', body: fileForm(bytes, filename, type), headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function getFile(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(stack.baseUrl + path, { headers });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

const suggestion = {
  title: '国定路公交站加装候车亭',
  content: '国定路政通路口的公交站没有候车亭，雨天候车的老人和学生只能站在路边。附上现场照片。',
  category: 'transport',
  district: 'yangpu',
  publishConsent: true,
  place: { address: '国定路政通路口公交站', street: '310110019', coordinates: { lat: 31.3021, lng: 121.5117, datum: 'gcj02' } },
  proposer: { name: '钱慧明', phone: '139 1234 5678', address: '上海市杨浦区国定路 100 弄 5 号 302 室', replyChannel: 'sms' },
};

test('a photo is stored re-encoded with its EXIF and GPS position gone, with a thumbnail, and encrypted in the bucket', async () => {
  const photo = await jpegWithGps();
  expect(hasGpsIfd((await sharp(photo).metadata()).exif)).toBe(true);
  const up = await upload(photo, '王芳-身份证.jpg', 'image/jpeg');
  expect(up.status).toBe(201);
  expect(up.body).toMatchObject({ contentType: 'image/jpeg', width: 640, height: 480, thumbnail: true });

  const receipt = await call('POST', '/v1/suggestions', { ...suggestion, attachments: [up.body.uploadId] });
  expect(receipt.status).toBe(202);
  const id = receipt.body.id as string;
  const view = await eventually(async () => {
    const r = await call('GET', `/v1/suggestions/${id}`, undefined, as(transport));
    return r.status === 200 && r.body.attachments ? r.body : undefined;
  }, 'the suggestion routed to transport with its attachment');
  expect(view.attachments).toEqual([expect.objectContaining({ id: up.body.uploadId, contentType: 'image/jpeg', sha256: up.body.sha256 })]);
  expect(view.place).toMatchObject({ address: '国定路政通路口公交站', street: '310110019' });
  // Neither the file's name nor anyone's details are in an object key.
  expect(view.attachments[0].key).toBe(`attachments/${up.body.uploadId}/file`);

  const file = await getFile(`/v1/suggestions/${id}/attachments/${up.body.uploadId}`, as(transport));
  expect(file.status).toBe(200);
  expect(file.type).toBe('image/jpeg');
  const served = await sharp(file.bytes).metadata();
  expect(served.format).toBe('jpeg');
  expect(served.exif).toBeUndefined();
  expect(served.xmp).toBeUndefined();
  expect(file.bytes.includes(Buffer.from('Phone'))).toBe(false);

  const thumb = await getFile(`/v1/suggestions/${id}/attachments/${up.body.uploadId}/thumbnail`, as(transport));
  const thumbMeta = await sharp(thumb.bytes).metadata();
  expect([thumbMeta.format, Math.max(thumbMeta.width!, thumbMeta.height!) <= 320, thumbMeta.exif]).toEqual(['jpeg', true, undefined]);

  // At rest the object is ciphertext: not a JPEG, and not the served bytes.
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const c = config();
  const s3 = new S3Client({
    region: c.region,
    endpoint: c.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: c.accessKeyId!, secretAccessKey: c.secretAccessKey! },
  });
  const raw = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: c.bucket, Key: view.attachments[0].key }))).Body!.transformToByteArray());
  s3.destroy();
  expect(raw.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
  expect(raw.includes(file.bytes.subarray(100, 164))).toBe(false);

  // What the Temporal UI shows without the codec (and anyone with the server's database sees): the
  // history and the description as the server sends them. The matter's place and the files'
  // references travel in the workflow's input, sealed like every payload, so none is in clear.
  const { events, bytes: history } = await rawHistory(`suggestion-${id}`);
  const description = await rawDescription(`suggestion-${id}`);
  const secrets: [string, string | Buffer][] = [
    ['file name', '王芳-身份证'],
    ["proposer's name", '钱慧明'],
    ["proposer's address", '国定路 100 弄'],
    ['address of the place', '国定路政通路口公交站'],
    ['street of the place', '310110019'],
    ['object key', view.attachments[0].key],
    ['checksum', up.body.sha256],
    ['bytes sent', photo.subarray(200, 260)],
    ['bytes kept', file.bytes.subarray(100, 164)],
  ];
  for (const [what, secret] of secrets) expect([what, history.includes(secret), description.includes(secret)]).toEqual([what, false, false]);
  // Opened with the key the same history holds the place and the references (so the search above
  // looks where they are), but still not the proposer's address: their details are sealed apart.
  const opened = Buffer.from(temporal.api.history.v1.History.encode(await decryptHistory({ events }, stack.keys)).finish());
  expect([
    opened.includes('国定路政通路口公交站'),
    opened.includes('310110019'),
    opened.includes(view.attachments[0].key),
    opened.includes('国定路 100 弄'),
  ]).toEqual([true, true, true, false]);
});

test('the type is told from the bytes: a PNG named .pdf is a PNG, a text file named .jpg is refused', async () => {
  const renamed = await upload(await png(), 'scan.pdf', 'application/pdf');
  expect(renamed.status).toBe(201);
  expect(renamed.body.contentType).toBe('image/png');

  const text = await upload(Buffer.from('这不是照片，只是一段文字。This is plain text, not a photo.\n'), 'photo.jpg', 'image/jpeg');
  expect(text.status).toBe(415);
  expect(text.body.type).toMatch(/file-type$/);

  const doc = await upload(pdf(), 'notice.pdf', 'application/pdf');
  expect(doc.body).toMatchObject({ contentType: 'application/pdf', thumbnail: false });
  const scripted = await upload(
    Buffer.from(pdf().toString('latin1').replace('/Type /Catalog', '/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>'), 'latin1'),
    'notice.pdf',
    'application/pdf',
  );
  expect(scripted.status).toBe(422);

  const big = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'huge.jpg', 'image/jpeg');
  expect(big.status).toBe(413);
});

test('files are served only to whoever may see the suggestion: its departments, the office, the proposer with the right token', async () => {
  const up = await upload(await jpegWithGps(), 'bus-stop.jpg', 'image/jpeg');
  const receipt = await call('POST', '/v1/suggestions', { ...suggestion, attachments: [up.body.uploadId] });
  const { id, trackingToken } = receipt.body as { id: string; trackingToken: string };
  const path = `/v1/suggestions/${id}/attachments/${up.body.uploadId}`;
  await eventually(async () => (await getFile(path, as(transport))).status === 200, 'the lead department to see the file');

  expect((await getFile(path, as(office))).status).toBe(200);
  // A department that does not handle it, the wrong token, no token, and the public board: nothing.
  expect((await getFile(path, as(education))).status).toBe(404);
  expect((await getFile(path)).status).toBe(401);
  const tracking = `/v1/suggestions/${id}/tracking/attachments/${up.body.uploadId}`;
  expect((await getFile(tracking, { 'x-tracking-token': trackingToken })).status).toBe(200);
  expect((await getFile(`${tracking}/thumbnail`, { 'x-tracking-token': trackingToken })).type).toBe('image/jpeg');
  expect((await getFile(tracking, { 'x-tracking-token': 'ABCDE-FGHJK-MNPQR-STUVW' })).status).toBe(404);
  expect((await getFile(tracking)).status).toBe(400);
  expect((await getFile(`/v1/public/attachments/${up.body.uploadId}`)).status).toBe(404);

  // Another suggestion cannot take a file already attached to this one.
  const stolen = await call('POST', '/v1/suggestions', { ...suggestion, attachments: [up.body.uploadId] });
  expect(stolen.status).toBe(422);
});

test('an intake retried under the same Idempotency-Key, and an upload retried under its key, store each file once', async () => {
  const photo = await png();
  const before = (await objectKeys(config())).length;
  const first = await upload(photo, 'a.png', 'image/png', { 'idempotency-key': 'upload-retry-1' });
  const again = await upload(photo, 'a.png', 'image/png', { 'idempotency-key': 'upload-retry-1' });
  expect(again.body.uploadId).toBe(first.body.uploadId);
  expect((await objectKeys(config())).length).toBe(before + 2); // the file and its thumbnail

  const body = { ...suggestion, attachments: [first.body.uploadId] };
  const a = await call('POST', '/v1/suggestions', body, { 'idempotency-key': 'intake-retry-1' });
  const b = await call('POST', '/v1/suggestions', body, { 'idempotency-key': 'intake-retry-1' });
  expect([a.status, b.status]).toEqual([202, 202]);
  expect(b.body.trackingNumber).toBe(a.body.trackingNumber);
  expect((await objectKeys(config())).length).toBe(before + 2);

  // The web form sent twice (a double click) with its files: one suggestion, each file stored once.
  const formKey = 'formkey-retry-0123456789';
  const send = () =>
    fetch(`${stack.baseUrl}/submit`, {
      method: 'POST',
      body: fileForm(
        pdf(),
        '通知.pdf',
        'application/pdf',
        {
          formKey,
          title: suggestion.title,
          content: suggestion.content,
          category: 'transport',
          district: 'yangpu',
          replyChannel: 'online',
          street: '310110019',
          placeAddress: '国定路政通路口',
        },
        'files',
      ),
    }).then(async (r) => ({ status: r.status, text: await r.text() }));
  const [one, two] = [await send(), await send()];
  expect([one.status, two.status]).toEqual([200, 200]);
  const number = (t: string) => /JY-\d{8}-[0-9A-Z]{6}/.exec(t)?.[0];
  expect(number(two.text)).toBe(number(one.text));
  expect((await objectKeys(config())).length).toBe(before + 3);
});

test('a web form with a bad file comes back with the text kept, names the file and why, and keeps the good file', async () => {
  const form = fileForm(
    Buffer.from('not a picture at all, just words\n'),
    '现场照片.jpg',
    'image/jpeg',
    {
      formKey: 'formkey-badfile-0123456789',
      title: suggestion.title,
      content: suggestion.content,
      category: 'transport',
      district: 'yangpu',
      replyChannel: 'online',
    },
    'files',
  );
  form.append('files', new Blob([await png()], { type: 'image/png' }), 'good.png');
  const res = await fetch(`${stack.baseUrl}/submit`, { method: 'POST', body: form });
  const page = await res.text();
  expect(res.status).toBe(422);
  expect(page).toContain(suggestion.content);
  expect(page).toContain('现场照片.jpg 不是 JPEG、PNG 或 PDF 文件');
  expect(page).toMatch(/<input type="hidden" name="upload" value="[0-9a-f-]{36}">/);
  expect(page).toContain('good.png');
});

test("a department's evidence on its decision and progress report is on the board, with thumbnails, and nothing else is", async () => {
  const receipt = await call('POST', '/v1/suggestions', { ...suggestion, attachments: undefined });
  const id = receipt.body.id as string;
  await eventually(async () => (await call('GET', `/v1/suggestions/${id}`, undefined, as(transport))).body.status === 'handling', 'routing to transport');
  // Evidence is uploaded by the department itself; another department's upload is not its to attach.
  const photo = await upload(await jpegWithGps(), 'site.jpg', 'image/jpeg', as(transport));
  const foreign = await upload(await png(), 'other.png', 'image/png', as(education));
  const plan = {
    usage: ['livelihood_measure'],
    summary: '国定路政通路口公交站加装带座椅的候车亭。',
    milestones: [{ title: '候车亭施工', ownerDepartment: 'transport', dueInWorkingDays: 20 }],
  };
  const reply = '感谢您的建议，我委将在国定路政通路口加装候车亭。';
  const refused = await call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'adopted', reply, plan, evidence: [foreign.body.uploadId] }, as(transport));
  expect(refused.status).toBe(422);
  const decided = await call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'adopted', reply, plan, evidence: [photo.body.uploadId] }, as(transport));
  expect(decided.status).toBe(200);
  expect(decided.body.decision.evidence).toEqual([expect.objectContaining({ id: photo.body.uploadId })]);

  const later = await upload(pdf(), 'acceptance.pdf', 'application/pdf', as(transport));
  await eventually(
    async () => (await call('GET', `/v1/suggestions/${id}`, undefined, as(transport))).body.feedback?.implementation,
    'the implementation to start',
  );
  const progress = await call(
    'POST',
    `/v1/suggestions/${id}/implementation/milestones/M1/progress`,
    { percent: 50, note: '基础施工已完成。', evidence: [later.body.uploadId] },
    as(transport),
  );
  expect(progress.status).toBe(200);

  const board = await eventually(async () => {
    const r = await call('GET', '/v1/public/suggestions?street=310110019&pageSize=100');
    return r.body.items?.find((i: { trackingNumber: string; evidence?: unknown[] }) => i.trackingNumber === id && i.evidence?.length === 2);
  }, 'the board to show the evidence');
  expect(board.place).toMatchObject({ street: { code: '310110019', name: '五角场街道' }, address: '国定路政通路口公交站' });
  const shown = await getFile(`/v1/public/attachments/${photo.body.uploadId}/thumbnail`);
  expect([shown.status, shown.type]).toEqual([200, 'image/jpeg']);
  expect((await getFile(`/v1/public/attachments/${later.body.uploadId}`)).type).toBe('application/pdf');
  const page = await (await fetch(`${stack.baseUrl}/board?street=310110019`)).text();
  expect(page).toContain(`/v1/public/attachments/${photo.body.uploadId}/thumbnail`);
  expect(page).toContain('五角场街道');
});

test('replicas preparing a new bucket at once all find it ready: the one that loses the race to create it takes it as there', async () => {
  const fresh = { ...config(), bucket: `race-${Date.now().toString(36)}` };
  const answers = await Promise.all([1, 2, 3, 4].map(() => prepareBucket(fresh)));
  expect(answers.every((a) => a === 'created' || a === 'exists')).toBe(true);
  expect(answers).toContain('created');
  await expect(prepareBucket(fresh)).resolves.toBe('exists');
});
