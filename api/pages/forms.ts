import { html, Html } from './layout';
import { t, type Lang } from './i18n';

// Form controls that are accessible by construction: each has a label tied to it, its hint and
// its error are read out with it (aria-describedby), and an invalid one says so (aria-invalid).

/** Errors by field name, in the reader's language. */
export type FieldErrors = Record<string, string>;

interface Control {
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string;
}

/**
 * A label, its notes and its control in one box, so a layout that places boxes (the board's grid
 * of filters) moves them together and never puts a label in one cell and its control in another.
 */
function field(content: Html): Html {
  return html`<div class="field">${content}</div>`;
}

function describedBy(c: Control): { attrs: Html; notes: Html } {
  const hintId = `${c.name}-hint`;
  const errorId = `${c.name}-error`;
  const ids = [c.hint ? hintId : '', c.errors[c.name] ? errorId : ''].filter(Boolean).join(' ');
  return {
    attrs: html`${ids ? html` aria-describedby="${ids}"` : ''}${c.errors[c.name] ? new Html(' aria-invalid="true"') : ''}`,
    notes: html`${c.hint ? html`<p class="hint" id="${hintId}">${c.hint}</p>` : ''}${c.errors[c.name] ? html`<p class="error" id="${errorId}">${c.errors[c.name]}</p>` : ''}`,
  };
}

/** A text box; a `code` (a tracking number, a token) is neither spell-checked nor capitalised by word. */
export function textField(
  c: Control & { value?: string; type?: 'text' | 'tel' | 'email'; maxLength?: number; required?: boolean; autocomplete?: string; code?: boolean },
): Html {
  const d = describedBy(c);
  return field(html`<label for="${c.name}">${c.label}</label>${d.notes}
<input type="${c.type ?? 'text'}" id="${c.name}" name="${c.name}" value="${c.value ?? ''}"${c.maxLength ? html` maxlength="${c.maxLength}"` : ''}${c.required ? new Html(' required') : ''} autocomplete="${c.autocomplete ?? 'off'}"${c.code ? new Html(' spellcheck="false" autocapitalize="characters"') : ''}${d.attrs}>`);
}

export function textArea(c: Control & { value?: string; maxLength?: number; required?: boolean }): Html {
  const d = describedBy(c);
  return field(html`<label for="${c.name}">${c.label}</label>${d.notes}
<textarea id="${c.name}" name="${c.name}"${c.maxLength ? html` maxlength="${c.maxLength}"` : ''}${c.required ? new Html(' required') : ''}${d.attrs}>${c.value ?? ''}</textarea>`);
}

export function select(c: Control & { value?: string; options: [string, string][]; blank?: string; required?: boolean }): Html {
  const d = describedBy(c);
  return field(html`<label for="${c.name}">${c.label}</label>${d.notes}
<select id="${c.name}" name="${c.name}"${c.required ? new Html(' required') : ''}${d.attrs}>
${c.blank !== undefined ? html`<option value="">${c.blank}</option>` : ''}${c.options.map(([value, text]) => html`<option value="${value}"${value === c.value ? new Html(' selected') : ''}>${text}</option>`)}
</select>`);
}

/** A group of radio buttons (one choice) with its question as the legend. */
export function radios(c: Control & { value?: string; options: [string, string][] }): Html {
  const d = describedBy(c);
  return html`<fieldset id="${c.name}"${d.attrs}><legend>${c.label}</legend>${d.notes}
${c.options.map(([value, text], i) => html`<label class="choice" for="${c.name}-${i}"><input type="radio" id="${c.name}-${i}" name="${c.name}" value="${value}"${value === c.value ? new Html(' checked') : ''}> <span>${text}</span></label>`)}
</fieldset>`;
}

export function checkbox(c: Control & { checked: boolean; legend: string }): Html {
  return html`<fieldset><legend>${c.legend}</legend>
<label class="choice" for="${c.name}"><input type="checkbox" id="${c.name}" name="${c.name}" value="yes"${c.checked ? new Html(' checked') : ''}> <span>${c.label}</span></label>
</fieldset>`;
}

export function hidden(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/**
 * The list of what is wrong, at the top of the form, each item leading to its field, under a
 * heading that says what happened (by default: correct these and send again).
 */
export function errorSummary(lang: Lang, errors: FieldErrors, general?: string, heading = t(lang, 'formHasErrors')): Html {
  const items = Object.entries(errors);
  if (!items.length && !general) return html``;
  return html`<div class="alert" role="alert"><h2 class="alert-heading">${heading}</h2><ul>
${general ? html`<li>${general}</li>` : ''}${items.map(([name, message]) => html`<li><a href="#${name}">${message}</a></li>`)}
</ul></div>`;
}
