import type { Request, Response, Router } from 'express';
import { deskOf, sendDeskPage, type Desk } from './desk';
import { errorSummary, field, formStart, refused, type FormState, type Values } from './forms';
import { html, link, words, type Html, type W } from './frame';

// A staff page with forms (the office's desks, the administrator's profile): GET shows it; each
// form posts to /<path>/<form>, becomes the API's request, and on a refusal the page is shown again
// with the API's errors beside the fields and what was typed kept.

export type Page = (desk: Desk, w: W, state: Record<string, FormState>, req: Request) => Promise<Html>;

/** A page with forms: GET shows it, POST /<path>/<form> sends the form's request and shows it again on a refusal. */
export type FormRequest = (v: Values, req: Request) => { method: string; path: string; body?: unknown };

export function formPage(
  router: Router,
  path: string,
  section: Parameters<typeof sendDeskPage>[2]['section'],
  title: [string, string],
  body: Page,
  forms: Record<string, FormRequest>,
  perRow?: (name: string) => FormRequest | undefined,
) {
  const render = async (req: Request, res: Response, state: Record<string, FormState>, status = 200) => {
    const desk = deskOf(res);
    const w = words(desk.lang);
    const done = status === 200 && typeof req.query.done === 'string';
    sendDeskPage(
      res,
      desk,
      {
        title: w(...title),
        section,
        path,
        query: pickQuery(req),
        body: html`${done ? html`<p class="notice" role="status">${w('已保存。', 'Saved.')}</p>` : ''}${await body(desk, w, state, req)}`,
      },
      status,
    );
  };
  router.get(path, async (req, res) => {
    if (!['office', 'supervisor', 'admin'].includes(deskOf(res).viewer.role)) return res.redirect(303, link(deskOf(res).lang, '/staff/'));
    await render(req, res, {});
  });
  router.post(`${path}/:form`, async (req, res) => {
    const desk = deskOf(res);
    const name = String(req.params.form);
    const make = Object.hasOwn(forms, name) ? forms[name] : perRow?.(name);
    if (!make) return void res.status(404).end();
    const values = req.body as Values;
    const request = make(values, req);
    const answer = await desk.api.call(request.method, request.path, request.body, field(values, '_key'));
    if (answer.status < 300) return res.redirect(303, link(desk.lang, path, { ...pickQuery(req), done: name }));
    await render(req, res, { [name]: refused(values, answer.body as never) }, answer.status);
  });
}

function pickQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['year', 'campaign']) if (typeof req.query[k] === 'string') out[k] = req.query[k] as string;
  return out;
}

export function formBox(desk: Desk, w: W, id: string, title: string, action: string, state: FormState, fields: Html, button: string): Html {
  return html`<section class="box noprint" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>
${formStart(desk.lang, action, desk.viewer.csrf, `form-${id}`)}
${errorSummary(w, state)}
${fields}
<button type="submit">${button}</button>
</form></section>`;
}
