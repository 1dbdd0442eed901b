// Control characters mean nothing in any text a suggestion or a request carries, and PostgreSQL
// refuses NUL in text: a value carrying one fails where it is written (a 500, or a workflow whose
// registration retries for ever). Text may keep its line breaks and tabs (a suggestion's content
// has paragraphs); a path or a query string has no use for any control character.

/* eslint-disable no-control-regex -- these patterns exist to find control characters */
/** C0 controls and DEL, but tab, line feed and carriage return. */
export const controlCharacterInText = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Every C0 control and DEL. */
export const controlCharacterInUrl = /[\u0000-\u001f\u007f]/;

export const controlCharacterMessage = 'control characters are not allowed';

/** The first place in `value` (keys included) where a string matches `pattern`, as a field path; undefined when none. */
export function controlCharacterAt(value: unknown, pattern: RegExp = controlCharacterInText): string[] | undefined {
  // Iterative: a body may be nested two thousand levels deep.
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (pending.length > 0) {
    const { value: v, path } = pending.pop()!;
    if (typeof v === 'string') {
      if (pattern.test(v)) return path;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => pending.push({ value: item, path: [...path, String(i)] }));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (pattern.test(key)) return [...path, key];
        pending.push({ value: item, path: [...path, key] });
      }
    }
  }
  return undefined;
}
