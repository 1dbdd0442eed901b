import fc from 'fast-check';
import { csvField, CsvSyntaxError, parseCsv } from '../../domain/csv';

describe('reading a CSV export', () => {
  test('quoted fields keep commas, doubled quotes and line breaks; records know their first line', () => {
    const text = '\uFEFFa,b,c\r\n1,"two, and ""three""",x\n"multi\nline",,\n\n4,5,6';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'two, and "three"', 'x'] },
      { line: 3, fields: ['multi\nline', '', ''] },
      { line: 6, fields: ['4', '5', '6'] },
    ]);
  });

  test('a quote left open, a stray quote and text after a closing quote are errors with their line', () => {
    const errorOf = (text: string) => {
      try {
        parseCsv(text);
      } catch (err) {
        return err instanceof CsvSyntaxError ? err.message : `unexpected ${String(err)}`;
      }
      return 'no error';
    };
    expect(errorOf('a,b\n1,"open\n2,3')).toBe('line 2: a quoted field is never closed');
    expect(errorOf('a,b\nx"y,2')).toMatch(/^line 2: a quote inside an unquoted field/);
    expect(errorOf('a,b\n"x"y,2')).toBe('line 2: text after a closing quote');
  });

  test('whatever the fields, writing them with csvField and reading them back gives them again', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', '中', ',', '"', '\n', '\r\n', ' ', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = rows.map((r) => r.map(csvField).join(',')).join('\n');
        expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});
