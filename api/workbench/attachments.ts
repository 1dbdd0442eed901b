import { placeView, type Place } from '../../domain/place';
import type { CityProfile } from '../../domain/profile';
import { html, link, type Html, type Lang, type W } from './frame';

// The matter's place and the files on a suggestion as staff see them. The files come through the
// workbench (pages/suggestion.ts), which fetches each from the API with the signed-in person's
// token: the browser's image requests carry the session cookie, never a token.

interface FileRef {
  id: string;
  contentType: string;
  thumbnailKey?: string;
}

/** The place's line for the suggestion's facts: street, address, and the point on China's maps (GCJ-02). */
export function placeText(w: W, place: Place | undefined, profile: CityProfile): Html | string {
  const view = placeView(place, profile);
  if (!view) return '—';
  const where = [view.street?.name, view.address].filter(Boolean).join(w(' ', ', '));
  return html`${where}${view.coordinates ? html` <span class="muted">(${view.coordinates.gcj02.lat.toFixed(5)}, ${view.coordinates.gcj02.lng.toFixed(5)} GCJ-02)</span>` : ''}`;
}

/** The proposer's files and the departments' evidence, each a thumbnail (or "PDF") opening the file. */
export function filesSection(lang: Lang, w: W, suggestionId: string, groups: { title: string; files: FileRef[] | undefined }[]): Html {
  const shown = groups.filter((g) => g.files?.length);
  if (!shown.length) return html``;
  const address = (f: FileRef, part = '') => link(lang, `/staff/suggestions/${suggestionId}/files/${f.id}${part}`);
  return html`<section class="box" aria-labelledby="files-h"><h2 id="files-h">${w('照片和文件', 'Photos and documents')}</h2>
${shown.map(
  (g) =>
    html`<h3>${g.title}</h3><ul class="files">${g.files!.map(
      (f, i) =>
        html`<li><a href="${address(f)}">${f.thumbnailKey ? html`<img src="${address(f, '/thumbnail')}" alt="${g.title} ${i + 1}" width="160">` : w(`PDF 文件 ${i + 1}`, `PDF document ${i + 1}`)}</a></li>`,
    )}</ul>`,
)}</section>`;
}
