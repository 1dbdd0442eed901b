import { randomBytes } from 'node:crypto';
import { html, Html, link, type Lang, type W } from './frame';

// Form controls that are accessible by construction (a label for each, its hint and error read
// out with it, aria-invalid when wrong), and the API's problem+json turned into messages next to
// the fields they name. Field names are the JSON paths of the request body, so the API's
// `errors[].field` (body.plan.milestones.0.title) finds its control (plan.milestones.0.title).

export type FieldErrors = Record<string, string>;
export type Values = Record<string, string | string[] | undefined>;

export interface FormState {
  values: Values;
  errors: FieldErrors;
  /** A refusal that names no field: the state changed, the role may not, … */
  general?: string;
}

export const emptyForm = (values: Values = {}): FormState => ({ values, errors: {} });

/** An element id for a field name (ids may not hold dots in CSS selectors comfortably). */
export const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface Control {
  name: string;
  label: string;
  state: FormState;
  hint?: string;
  required?: boolean;
}

function notes(c: Control): { attrs: Html; before: Html } {
  const id = idOf(c.name);
  const error = c.state.errors[c.name];
  const ids = [c.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    attrs: html`${ids ? html` aria-describedby="${ids}"` : ''}${error ? new Html(' aria-invalid="true"') : ''}${c.required ? new Html(' required') : ''}`,
    before: html`${c.hint ? html`<p class="hint" id="${id}-hint">${c.hint}</p>` : ''}${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}`,
  };
}

const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function input(c: Control & { type?: 'text' | 'number' | 'url' | 'date' | 'datetime-local'; min?: number; max?: number }): Html {
  const n = notes(c);
  return html`<label for="${idOf(c.name)}">${c.label}</label>${n.before}
<input type="${c.type ?? 'text'}" id="${idOf(c.name)}" name="${c.name}" value="${text(c.state.values[c.name])}"${c.min !== undefined ? html` min="${c.min}"` : ''}${c.max !== undefined ? html` max="${c.max}"` : ''} autocomplete="off"${n.attrs}>`;
}

/** Files to send with the form (the form must be multipart): photos and documents as evidence. */
export function fileInput(c: Control & { accept: string; multiple?: boolean }): Html {
  const n = notes(c);
  return html`<label for="${idOf(c.name)}">${c.label}</label>${n.before}
<input type="file" id="${idOf(c.name)}" name="${c.name}" accept="${c.accept}"${c.multiple ? new Html(' multiple') : ''}${n.attrs}>`;
}

export function textarea(c: Control & { rows?: number }): Html {
  const n = notes(c);
  return html`<label for="${idOf(c.name)}">${c.label}</label>${n.before}
<textarea id="${idOf(c.name)}" name="${c.name}" rows="${c.rows ?? 4}"${n.attrs}>${text(c.state.values[c.name])}</textarea>`;
}

export function select(c: Control & { options: [string, string][]; blank?: string; multiple?: boolean }): Html {
  const n = notes(c);
  const chosen = new Set(list(c.state.values[c.name]));
  return html`<label for="${idOf(c.name)}">${c.label}</label>${n.before}
<select id="${idOf(c.name)}" name="${c.name}"${c.multiple ? new Html(' multiple') : ''}${n.attrs}>
${c.blank !== undefined ? html`<option value="">${c.blank}</option>` : ''}${c.options.map(([value, label]) => html`<option value="${value}"${chosen.has(value) ? new Html(' selected') : ''}>${label}</option>`)}
</select>`;
}

/** One choice of several (radios) or several of several (checkboxes), the question as the legend. */
export function choices(c: Control & { options: [string, string][]; multiple?: boolean }): Html {
  const n = notes(c);
  const chosen = new Set(list(c.state.values[c.name]));
  const id = idOf(c.name);
  return html`<fieldset id="${id}"${n.attrs}><legend>${c.label}</legend>${n.before}
${c.options.map(([value, label], i) => html`<label class="choice" for="${id}-${i}"><input type="${c.multiple ? 'checkbox' : 'radio'}" id="${id}-${i}" name="${c.name}" value="${value}"${chosen.has(value) ? new Html(' checked') : ''}> <span>${label}</span></label>`)}
</fieldset>`;
}

export function hidden(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** The opening of a workbench form: its action in the reader's language and the anti-forgery token. */
export function formStart(lang: Lang, action: string, csrf: string, id?: string, multipart = false): Html {
  return html`<form method="post" action="${link(lang, action)}"${id ? html` id="${id}"` : ''}${multipart ? new Html(' enctype="multipart/form-data"') : ''} novalidate>${hidden('_csrf', csrf)}${hidden('_key', randomKey())}`;
}

/** The list of what is wrong at the top of a form, each item leading to its field. */
export function errorSummary(w: W, state: FormState): Html {
  const items = Object.entries(state.errors);
  if (!items.length && !state.general) return html``;
  return html`<div class="alert" role="alert"><p><strong>${w('未能保存，请修改以下内容：', 'Not saved. Please correct the following:')}</strong></p><ul>
${state.general ? html`<li>${state.general}</li>` : ''}${items.map(([name, message]) => html`<li><a href="#${idOf(name)}">${message}</a></li>`)}
</ul></div>`;
}

/** What the API said was wrong, by field, with what was typed kept. */
export function refused(values: Values, problem: { title?: string; detail?: string; errors?: { field: string; message: string }[] }): FormState {
  const errors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const e of problem.errors ?? []) {
    const field = e.field.replace(/^body\./, '');
    if (field === 'body') unplaced.push(e.message);
    else errors[field] = errors[field] ? `${errors[field]}; ${e.message}` : e.message;
  }
  const general = problem.errors?.length ? unplaced.join('; ') || undefined : [problem.title, problem.detail].filter(Boolean).join(': ');
  return { values, errors, general };
}

/** A fresh key for each rendered form: sent as the Idempotency-Key, so pressing the button twice applies the action once. */
function randomKey(): string {
  return `wb-${randomBytes(12).toString('base64url')}`;
}

/** Text of a form field, trimmed; undefined when empty, so the API says it is required. */
export function field(values: Values, name: string): string | undefined {
  const v = text(values[name]).trim();
  return v === '' ? undefined : v;
}

export function numberField(values: Values, name: string): number | string | undefined {
  const v = field(values, name);
  if (v === undefined) return undefined;
  // Passed on as typed when it is not a number, so the API names the field and why.
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

export function listField(values: Values, name: string): string[] {
  return list(values[name])
    .map((s) => s.trim())
    .filter(Boolean);
}
