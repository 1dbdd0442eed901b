import type { Request } from 'express';
import { maxAttachmentBytes, maxAttachments } from '../../domain/attachments';
import type { CityProfile } from '../../domain/profile';
import { storeUpload } from '../attachments';
import type { ApiContext } from '../context';
import { readMultipart } from '../multipart';
import { Problem } from '../problem';
import type { FieldErrors } from './forms';
import { label, type Lang } from './i18n';
import { html, Html } from './layout';

// The submission form's place and files, without JavaScript: a multipart form whose files are
// checked and stored as it is sent. A file that fails is named with why; the files that were
// stored ride along in hidden fields, so the form comes back with the citizen's text and their
// good files kept, and only the failed one is chosen again.

const words = {
  placeHeading: ['事项地点（选填）', 'Where the matter is (optional)'],
  address: ['地址或位置', 'Address or location'],
  addressHint: [
    '例如：国定路政通路口公交站。这是事项所在的地点，不是您的住址。',
    'For example: the bus stop at Guoding Road and Zhengtong Road. Where the matter is, not your own address.',
  ],
  street: ['街道或镇', 'Street or town'],
  lat: ['纬度（地图坐标，GCJ-02）', 'Latitude (map point, GCJ-02)'],
  lng: ['经度（地图坐标，GCJ-02）', 'Longitude (map point, GCJ-02)'],
  coordinatesHint: ['可从高德、腾讯等地图复制；不填也可以。', 'Copied from a Chinese map (Amap, Tencent); may be left empty.'],
  files: ['照片或文件（选填）', 'Photos or documents (optional)'],
  filesHint: [
    `最多 ${maxAttachments} 个 JPEG、PNG 或 PDF 文件，每个不超过 ${maxAttachmentBytes / 1024 / 1024} MB。照片中的位置等信息会被去除。`,
    `Up to ${maxAttachments} JPEG, PNG or PDF files of at most ${maxAttachmentBytes / 1024 / 1024} MB each. Location and other metadata are removed from photos.`,
  ],
  kept: ['已收到的文件（无需再次选择）', 'Files received (no need to choose them again)'],
  address2: ['您的通信地址（选填，书面答复用）', 'Your postal address (optional, for a written reply)'],
  too_large: ['超过 10 MB', 'is larger than 10 MB'],
  type: ['不是 JPEG、PNG 或 PDF 文件（按文件内容判断，与文件名无关）', 'is not a JPEG, PNG or PDF file (judged by its content, whatever its name)'],
  damaged: ['已损坏或无法读取', 'is damaged or cannot be read'],
  active_content: ['含有脚本或嵌入文件，无法接收', 'contains scripts or embedded files and cannot be accepted'],
  empty: ['是空文件', 'is empty'],
  storeDown: [
    '文件存储暂时不可用，文件未能保存；您填写的内容已保留，请稍后重新选择文件再提交',
    'The file store is briefly unavailable and the file was not saved; what you typed is kept, please choose the file again and send in a moment',
  ],
  tooMany: [`最多上传 ${maxAttachments} 个文件`, `At most ${maxAttachments} files`],
  fileFailed: ['文件', 'File'],
} as const;
type Word = keyof typeof words;
export const w = (lang: Lang, key: Word) => words[key][lang === 'zh' ? 0 : 1];

export interface KeptFile {
  id: string;
  name: string;
}

export interface ReceivedForm {
  values: Record<string, string>;
  kept: KeptFile[];
  /** Which file failed and why, one line each. */
  fileErrors: string[];
  storeDown: boolean;
}

/** Reads the multipart form: its text fields, and each file checked and stored under the form's key (a resent form stores nothing twice). */
export async function receiveForm(ctx: ApiContext, req: Request, lang: Lang): Promise<ReceivedForm> {
  const body = await readMultipart(req, { files: maxAttachments + 1, fileBytes: maxAttachmentBytes, fields: 60 });
  const values: Record<string, string> = {};
  for (const [name, list] of Object.entries(body.fields)) if (!['upload', 'uploadName'].includes(name)) values[name] = list[0] ?? '';
  const ids = body.fields.upload ?? [];
  const names = body.fields.uploadName ?? [];
  const kept: KeptFile[] = ids
    .filter((id) => /^[0-9a-f-]{36}$/.test(id))
    .slice(0, maxAttachments)
    .map((id, i) => ({ id, name: names[i] ?? '' }));
  const fileErrors: string[] = [];
  let storeDown = false;
  const scope = /^[A-Za-z0-9_-]{16,64}$/.test(values.formKey ?? '') ? `form:${values.formKey}` : undefined;
  for (const file of body.files.filter((f) => f.field === 'files')) {
    const name = file.filename || w(lang, 'fileFailed');
    if (kept.length >= maxAttachments) {
      fileErrors.push(`${name}: ${w(lang, 'tooMany')}`);
      continue;
    }
    if (file.tooLarge) {
      fileErrors.push(`${name} ${w(lang, 'too_large')}`);
      continue;
    }
    if (storeDown) {
      fileErrors.push(`${name}: ${w(lang, 'storeDown')}`);
      continue;
    }
    try {
      const receipt = await storeUpload(ctx, file.bytes, 'public', scope);
      if (!kept.some((k) => k.id === receipt.uploadId)) kept.push({ id: receipt.uploadId, name: file.filename });
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      if (err.status === 503) {
        storeDown = true;
        fileErrors.push(`${name}: ${w(lang, 'storeDown')}`);
      } else {
        const reason = err.extra.reason as Word | undefined;
        fileErrors.push(`${name} ${reason && reason in words ? w(lang, reason) : err.detail}`);
      }
    }
  }
  if (body.tooManyFiles) fileErrors.push(w(lang, 'tooMany'));
  return { values, kept, fileErrors, storeDown };
}

export function placeFields(lang: Lang, v: Record<string, string>, errors: FieldErrors, profile: CityProfile): Html {
  const error = (name: string) => (errors[name] ? html`<p class="error" id="${name}-error">${errors[name]}</p>` : '');
  const invalid = (name: string) => (errors[name] ? new Html(` aria-invalid="true" aria-describedby="${name}-error"`) : '');
  const groups = profile
    .codes('district')
    .filter((d) => d !== 'city')
    .map(
      (d) =>
        html`<optgroup label="${label.district(lang, d, profile)}">${profile.streets.filter((s) => s.district === d).map((s) => html`<option value="${s.code}"${s.code === v.street ? new Html(' selected') : ''}>${s.name}</option>`)}</optgroup>`,
    );
  return html`<fieldset><legend>${w(lang, 'placeHeading')}</legend>
<div class="field"><label for="placeAddress">${w(lang, 'address')}</label><p class="hint" id="placeAddress-hint">${w(lang, 'addressHint')}</p>${error('placeAddress')}
<input type="text" id="placeAddress" name="placeAddress" value="${v.placeAddress ?? ''}" maxlength="300" autocomplete="off" aria-describedby="placeAddress-hint"></div>
<div class="field"><label for="street">${w(lang, 'street')}</label>${error('street')}
<select id="street" name="street"${invalid('street')}><option value=""></option>${groups}</select></div>
<div class="field"><label for="lat">${w(lang, 'lat')}</label><p class="hint">${w(lang, 'coordinatesHint')}</p>${error('lat')}
<input type="text" id="lat" name="lat" value="${v.lat ?? ''}" maxlength="20" inputmode="decimal" autocomplete="off"${invalid('lat')}></div>
<div class="field"><label for="lng">${w(lang, 'lng')}</label>
<input type="text" id="lng" name="lng" value="${v.lng ?? ''}" maxlength="20" inputmode="decimal" autocomplete="off"></div>
</fieldset>`;
}

export function filesField(lang: Lang, kept: KeptFile[], fileErrors: string[]): Html {
  return html`<div class="field"><label for="files">${w(lang, 'files')}</label><p class="hint" id="files-hint">${w(lang, 'filesHint')}</p>
${fileErrors.length ? html`<ul class="error" id="files-error">${fileErrors.map((e) => html`<li>${e}</li>`)}</ul>` : ''}
${kept.length ? html`<p>${w(lang, 'kept')}</p><ul id="kept-files">${kept.map((k) => html`<li>${k.name || k.id}<input type="hidden" name="upload" value="${k.id}"><input type="hidden" name="uploadName" value="${k.name}"></li>`)}</ul>` : ''}
<input type="file" id="files" name="files" multiple accept="image/jpeg,image/png,application/pdf" aria-describedby="files-hint${fileErrors.length ? ' files-error' : ''}"${fileErrors.length ? new Html(' aria-invalid="true"') : ''}></div>`;
}

/** The place as the intake schema takes it, from the form's fields (empty fields left out). */
export function placeOf(v: Record<string, string>): Record<string, unknown> | undefined {
  const lat = v.lat?.trim() ? Number(v.lat) : undefined;
  const lng = v.lng?.trim() ? Number(v.lng) : undefined;
  const place = {
    ...(v.placeAddress?.trim() ? { address: v.placeAddress } : {}),
    ...(v.street?.trim() ? { street: v.street.trim() } : {}),
    ...(lat !== undefined || lng !== undefined ? { coordinates: { lat, lng, datum: 'gcj02' } } : {}),
  };
  return Object.keys(place).length ? place : undefined;
}
