// The CSV reader against RFC 4180 cases worked out by hand, chunk boundaries anywhere, and bad
// input reported with its line.
import { describe, expect, it } from "vitest";
import { CsvParser, DataError, parseCsv } from "../src/index.js";

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe("CsvParser", () => {
  it("reads plain, quoted and empty fields", () => {
    expect(fieldsOf("a,b,c\n1,,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "", "3"],
    ]);
    expect(parseCsv('"x",y\n')).toEqual([{ fields: ["x", "y"], quoted: [true, false], line: 1 }]);
    expect(fieldsOf("a,\n")).toEqual([["a", ""]]);
    expect(fieldsOf("a,b")).toEqual([["a", "b"]]); // no final line break
  });

  it("reads doubled quotes, delimiters and line breaks inside quotes", () => {
    const recs = parseCsv('1,"say ""hi""","a,b"\n2,"two\nlines","x\r\ny"\n3,"",z\n');
    expect(recs.map((r) => r.fields)).toEqual([
      ["1", 'say "hi"', "a,b"],
      ["2", "two\nlines", "x\r\ny"],
      ["3", "", "z"],
    ]);
    // Records start on lines 1, 2 and 5: the second record's two quoted line breaks (LF, CRLF)
    // make it span lines 2-4.
    expect(recs.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(recs[2]!.quoted).toEqual([false, true, false]);
  });

  it("accepts CRLF and skips blank lines", () => {
    expect(parseCsv("a,b\r\n\r\n1,2\r\n").map((r) => [r.fields, r.line])).toEqual([
      [["a", "b"], 1],
      [["1", "2"], 3],
    ]);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    const text = 'id,name\r\n1,"a ""b""\nc"\r\n2,plain\r\n3,"x,y"\n';
    const whole = parseCsv(text);
    for (let size = 1; size <= 7; size++) {
      const out: { fields: string[]; line: number }[] = [];
      const p = new CsvParser((f, _q, line) => out.push({ fields: [...f], line }));
      for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
      p.end();
      expect(out).toEqual(whole.map((r) => ({ fields: r.fields, line: r.line })));
    }
  });

  it("takes another delimiter", () => {
    expect(parseCsv("a\tb\t\n", { delimiter: "\t" }).map((r) => r.fields)).toEqual([["a", "b", ""]]);
  });

  it("reports malformed input with its line", () => {
    const err = (text: string) => {
      try {
        parseCsv(text);
      } catch (e) {
        return e;
      }
      return null;
    };
    const e1 = err('a,b\n1,x"y\n');
    expect(e1).toBeInstanceOf(DataError);
    expect((e1 as DataError).line).toBe(2);
    expect((e1 as DataError).message).toMatch(/quote inside an unquoted field/);
    const e2 = err('a\n"ok"x,1\n');
    expect((e2 as DataError).line).toBe(2);
    expect((e2 as DataError).message).toMatch(/after a closing quote/);
    // Unterminated: reported at the line where the record starts.
    const e3 = err('a\nb\n"never\nclosed\n');
    expect((e3 as DataError).line).toBe(3);
    expect((e3 as DataError).message).toMatch(/not closed/);
  });

  it("rejects bad options", () => {
    expect(() => new CsvParser(() => {}, { delimiter: ",," })).toThrow(RangeError);
    expect(() => new CsvParser(() => {}, { delimiter: '"' })).toThrow(RangeError);
  });
});
