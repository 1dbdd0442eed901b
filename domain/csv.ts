// Comma-separated values as spreadsheet exports write them (RFC 4180): fields may be quoted,
// a quoted field may hold commas, line breaks and doubled quotes; lines end in LF or CRLF; a
// UTF-8 byte-order mark at the start is ignored.

export interface CsvRecord {
  /** The line of the file the record starts on (1 is the header). */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Splits the text into records; blank lines are skipped. A quote left open is a syntax error. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let fieldStarted = false;
  let afterClosingQuote = false;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
    afterClosingQuote = false;
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
  };

  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        afterClosingQuote = true;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (afterClosingQuote && c !== ',' && c !== '\n' && c !== '\r') throw new CsvSyntaxError(line, 'text after a closing quote');
    if (c === '"') {
      if (fieldStarted) throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      fieldStarted = true;
      field += c;
    }
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, 'a quoted field is never closed');
  endRecord();
  return records;
}

/** One field for a CSV line: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
