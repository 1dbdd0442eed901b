import type { Response } from 'express';
import { placeView, type Place } from '../../domain/place';
import type { CityProfile } from '../../domain/profile';
import { readAttachment, sendAttachment } from '../attachments';
import type { ApiContext } from '../context';
import { hidden } from './forms';
import type { Lang } from './i18n';
import { href, html, type Html } from './layout';

// The place and the files on the citizens' pages. On the status page the thumbnails are inlined
// (data: images), because the tracking token may never be in a URL; a file opens through a small
// form that posts the token. On the board the published evidence has public addresses.

const words = {
  place: ['事项地点', 'Where'],
  files: ['照片和文件', 'Photos and documents'],
  open: ['查看', 'Open'],
  pdf: ['PDF 文件', 'PDF document'],
  storeDown: ['文件存储暂时不可用，稍后再查看缩略图。', 'The file store is briefly unavailable; thumbnails will show again shortly.'],
  evidence: ['部门公开的照片和文件', 'Photos and documents the department published'],
  fromDepartment: ['部门上传', 'from the department'],
} as const;
const w = (lang: Lang, key: keyof typeof words) => words[key][lang === 'zh' ? 0 : 1];

export function placeSection(lang: Lang, place: Place | null | undefined, profile: CityProfile): Html {
  const view = placeView(place ?? undefined, profile);
  if (!view) return html``;
  const parts = [view.street?.name, view.address].filter(Boolean).join(lang === 'zh' ? ' ' : ', ');
  return html`<p class="place"><strong>${w(lang, 'place')}${lang === 'zh' ? '：' : ': '}</strong>${parts}${view.coordinates ? html` <span class="muted">(${view.coordinates.gcj02.lat.toFixed(5)}, ${view.coordinates.gcj02.lng.toFixed(5)} GCJ-02)</span>` : ''}</p>`;
}

interface Row {
  id: string;
  objectKey: string;
  thumbnailKey: string | null;
  sha256: string;
  contentType: string;
  bytes: number;
  purpose: string | null;
}
const refOf = (r: Row) => ({
  id: r.id,
  key: r.objectKey,
  sha256: r.sha256,
  contentType: r.contentType as 'image/jpeg',
  bytes: r.bytes,
  ...(r.thumbnailKey ? { thumbnailKey: r.thumbnailKey } : {}),
});

/** The proposer's files and the departments' evidence on their suggestion, with inline thumbnails. */
export async function proposerFiles(ctx: ApiContext, lang: Lang, lookup: { trackingNumber: string; token: string }): Promise<Html> {
  const rows = await ctx.db.attachment.findMany({ where: { suggestionId: lookup.trackingNumber }, orderBy: [{ attachedAt: 'asc' }, { id: 'asc' }] });
  if (!rows.length) return html``;
  let storeDown = false;
  const items = await Promise.all(
    rows.map(async (r) => {
      let thumb: Html | string = w(lang, 'pdf');
      if (r.thumbnailKey) {
        try {
          const t = await readAttachment(ctx, refOf(r), 'thumbnail');
          thumb = html`<img src="data:image/jpeg;base64,${t.bytes.toString('base64')}" alt="" width="160">`;
        } catch {
          storeDown = true;
          thumb = '';
        }
      }
      return html`<li>${thumb}<form method="post" action="${href(lang, '/status/attachment')}">${hidden('trackingNumber', lookup.trackingNumber)}${hidden('token', lookup.token)}${hidden('attachment', r.id)}<button type="submit">${w(lang, 'open')}</button>${r.purpose !== 'submission' ? html` <span class="muted">${w(lang, 'fromDepartment')}</span>` : ''}</form></li>`;
    }),
  );
  return html`<section aria-labelledby="files"><h2 id="files">${w(lang, 'files')}</h2>${storeDown ? html`<p class="notice">${w(lang, 'storeDown')}</p>` : ''}<ul class="files">${items}</ul></section>`;
}

/** One of the proposer's files, after the look-up found their suggestion. */
export async function sendProposerFile(ctx: ApiContext, res: Response, suggestionId: string, attachmentId: string): Promise<boolean> {
  const row = await ctx.db.attachment.findUnique({ where: { id: attachmentId.slice(0, 64) } });
  if (!row || row.suggestionId !== suggestionId) return false;
  sendAttachment(res, await readAttachment(ctx, refOf(row), 'file'), row.id, 'private');
  return true;
}

/** The evidence a department published, for a board item: public thumbnails linking to the files. */
export function boardEvidence(lang: Lang, evidence: { id: string; contentType: string; thumbnail: boolean }[] | undefined): Html {
  if (!evidence?.length) return html``;
  return html`<h3>${w(lang, 'evidence')}</h3><ul class="files">${evidence.map(
    (e) =>
      html`<li><a href="/v1/public/attachments/${e.id}">${e.thumbnail ? html`<img src="/v1/public/attachments/${e.id}/thumbnail" alt="${w(lang, 'evidence')}" width="160">` : w(lang, 'pdf')}</a></li>`,
  )}</ul>`;
}
