import { isNode, LineCounter, parseDocument } from 'yaml';
import { cityProfileSchema, CityProfile } from './profile';

// A profile as a person writes it: YAML (JSON is YAML too). A mistake is reported with the line
// and column of the value at fault, so whoever edits the file for another city finds it at once.

export class ProfileFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; column: number; path: string; message: string }[],
  ) {
    super(
      `${file} is not a valid city profile:\n${problems.map((p) => `  ${file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n')}`,
    );
    this.name = 'ProfileFileError';
  }
}

/** Parses and validates a profile file's text; `file` names it in the errors. */
export function parseProfileFile(text: string, file: string): CityProfile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => lines.linePos(offset);
  if (doc.errors.length > 0) {
    throw new ProfileFileError(
      file,
      doc.errors.map((e) => {
        const pos = at(e.pos[0]);
        return { line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0] };
      }),
    );
  }
  const parsed = cityProfileSchema.safeParse(doc.toJS());
  if (parsed.success) return new CityProfile(parsed.data);
  throw new ProfileFileError(
    file,
    parsed.error.issues.map((issue) => {
      // The deepest node of the path the file has: a missing field is reported at its parent.
      let path = issue.path as (string | number)[];
      let node: unknown = undefined;
      for (; path.length > 0; path = path.slice(0, -1)) {
        node = doc.getIn(path, true);
        if (isNode(node) && node.range) break;
      }
      const offset = isNode(node) && node.range ? node.range[0] : (doc.contents?.range?.[0] ?? 0);
      const pos = at(offset);
      return { line: pos.line, column: pos.col, path: issue.path.join('.'), message: issue.message };
    }),
  );
}
