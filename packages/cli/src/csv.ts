// A streaming RFC 4180 CSV reader for `copr load`: quoted fields with "" escapes and line breaks,
// LF or CRLF record ends, blank lines skipped, and syntax errors reported with their line number.
import { DataError } from "./errors.js";

/** Options of {@link CsvParser}. */
export interface CsvOptions {
  /** The field separator, one character; default `,`. */
  readonly delimiter?: string;
  /** The quote character, one character; default `"`. */
  readonly quote?: string;
}

/**
 * Called once per record. `fields` and `quoted` are reused for the next record: copy what you keep.
 * `line` is the 1-based line the record starts on.
 */
export type CsvRecordHandler = (fields: readonly string[], quoted: readonly boolean[], line: number) => void;

const S_FIELD_START = 0;
const S_UNQUOTED = 1;
const S_QUOTED = 2;
const S_QUOTE_IN_QUOTED = 3;

/**
 * Push parser: feed text with {@link push} (chunks may split records, fields and CRLF pairs
 * anywhere), then call {@link end}. Errors are DataErrors naming the line.
 */
export class CsvParser {
  private readonly delim: number;
  private readonly quote: number;
  private readonly fields: string[] = [];
  private readonly quoted: boolean[] = [];
  private state = S_FIELD_START;
  /** Text of the current field gathered from earlier chunks. */
  private partial = "";
  /** 1-based physical line of the next character. */
  private line = 1;
  private recordLine = 1;
  private inRecord = false;
  /** The previous chunk ended in CR: a LF starting the next one belongs to it. */
  private pendingCr = false;
  private records = 0;

  constructor(
    private readonly onRecord: CsvRecordHandler,
    options: CsvOptions = {},
  ) {
    const d = options.delimiter ?? ",";
    const q = options.quote ?? '"';
    if (d.length !== 1)
      throw new RangeError(`the CSV delimiter must be one character, got ${JSON.stringify(d)}`);
    if (q.length !== 1) throw new RangeError(`the CSV quote must be one character, got ${JSON.stringify(q)}`);
    if (d === q || d === "\n" || d === "\r" || q === "\n" || q === "\r")
      throw new RangeError("the CSV delimiter and quote must differ and not be line breaks");
    this.delim = d.charCodeAt(0);
    this.quote = q.charCodeAt(0);
  }

  /** Number of records delivered so far. */
  get recordCount(): number {
    return this.records;
  }

  /** Parses the next piece of text. */
  push(text: string): void {
    const n = text.length;
    let i = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (n > 0 && text.charCodeAt(0) === 10) i = 1;
    }
    const delim = this.delim;
    const quote = this.quote;
    while (i < n) {
      switch (this.state) {
        case S_FIELD_START: {
          const c = text.charCodeAt(i);
          if (!this.inRecord) {
            this.inRecord = true;
            this.recordLine = this.line;
          }
          if (c === quote) {
            this.state = S_QUOTED;
            i++;
          } else if (c === delim) {
            this.emitField("", false);
            i++;
          } else if (c === 10 || c === 13) {
            this.emitField("", false);
            i = this.endLine(text, i);
          } else {
            this.state = S_UNQUOTED;
          }
          break;
        }
        case S_UNQUOTED: {
          const start = i;
          let c = 0;
          while (i < n) {
            c = text.charCodeAt(i);
            if (c === delim || c === 10 || c === 13 || c === quote) break;
            i++;
          }
          if (i === n) {
            this.partial += text.slice(start, i);
            break;
          }
          if (c === quote) {
            throw new DataError(
              this.line,
              null,
              "a quote inside an unquoted field (quote the whole field and double the quote)",
            );
          }
          this.emitField(this.partial + text.slice(start, i), false);
          this.partial = "";
          this.state = S_FIELD_START;
          if (c === delim) i++;
          else i = this.endLine(text, i);
          break;
        }
        case S_QUOTED: {
          const start = i;
          while (i < n) {
            const c = text.charCodeAt(i);
            if (c === quote) break;
            if (c === 10) this.line++;
            i++;
          }
          this.partial += text.slice(start, i);
          if (i < n) {
            this.state = S_QUOTE_IN_QUOTED;
            i++;
          }
          break;
        }
        case S_QUOTE_IN_QUOTED: {
          const c = text.charCodeAt(i);
          if (c === quote) {
            this.partial += text[i];
            this.state = S_QUOTED;
            i++;
          } else if (c === delim || c === 10 || c === 13) {
            this.emitField(this.partial, true);
            this.partial = "";
            this.state = S_FIELD_START;
            if (c === delim) i++;
            else i = this.endLine(text, i);
          } else {
            throw new DataError(
              this.line,
              null,
              `unexpected ${JSON.stringify(text[i])} after a closing quote (a field must end at its closing quote)`,
            );
          }
          break;
        }
      }
    }
  }

  /** Ends the input: delivers the last record, or fails on an unterminated quoted field. */
  end(): void {
    if (this.state === S_QUOTED) {
      throw new DataError(this.recordLine, null, "a quoted field is not closed before the end of the file");
    }
    if (this.state === S_UNQUOTED) this.emitField(this.partial, false);
    else if (this.state === S_QUOTE_IN_QUOTED) this.emitField(this.partial, true);
    else if (this.inRecord) this.emitField("", false); // a trailing delimiter
    this.partial = "";
    this.state = S_FIELD_START;
    if (this.inRecord) this.endRecord();
  }

  private emitField(value: string, quoted: boolean): void {
    this.fields.push(value);
    this.quoted.push(quoted);
  }

  /** Ends the record at the line break at `i`; returns the index after it. */
  private endLine(text: string, i: number): number {
    const c = text.charCodeAt(i);
    let next = i + 1;
    if (c === 13) {
      if (next < text.length) {
        if (text.charCodeAt(next) === 10) next++;
      } else {
        this.pendingCr = true;
      }
    }
    this.endRecord();
    this.line++;
    return next;
  }

  private endRecord(): void {
    const f = this.fields;
    // A blank line is not a record.
    if (!(f.length === 1 && f[0] === "" && this.quoted[0] === false)) {
      this.records++;
      this.onRecord(f, this.quoted, this.recordLine);
    }
    f.length = 0;
    this.quoted.length = 0;
    this.inRecord = false;
  }
}

/** Parses a whole CSV text into records (fields and their quoted flags), for small inputs and tests. */
export function parseCsv(
  text: string,
  options: CsvOptions = {},
): { fields: string[]; quoted: boolean[]; line: number }[] {
  const out: { fields: string[]; quoted: boolean[]; line: number }[] = [];
  const p = new CsvParser(
    (fields, quoted, line) => out.push({ fields: [...fields], quoted: [...quoted], line }),
    options,
  );
  p.push(text);
  p.end();
  return out;
}
