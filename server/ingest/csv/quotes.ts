// The one place that follows the quotes of CSV text: the splitter finds where records end with
// it, the separator of the header is counted with it, and an unclosed quote is located by it.

const QUOTE = 0x22;
const LF = 0x0a;

/**
 * Follows the quotes of CSV text (LF line ends) fed piece by piece, as csv-parse reads them
 * with `relax_quotes`: a quote opens a field only at the field's start; inside, `""` is a quote
 * and a lone `"` closes the field; a quote anywhere else is text. A quote that ends a piece
 * inside a field waits for the next piece to tell an escaped quote from a closing one.
 * @example const q = new QuoteScanner(',', { separators: true }); q.next('a,"b\nc",d\n', 0) //=> 1 (the first ","); then 7, then 9 (the "\n")
 */
export class QuoteScanner {
  /** The 1-based line the scanner is on. */
  line = 1;
  /** Inside a quoted field. */
  private quoting = false;
  /** At the start of a field, where a quote opens one. */
  private fieldStart = true;
  /** Inside a field, the last piece ended with a quote: doubled or closing, the next piece says. */
  private quoteAtEnd = false;
  /** The line of the quote that opened the field being read. */
  private openedOn = 0;
  private readonly d0: number;
  private readonly d1: number;
  private readonly d2: number;
  /** A quote opens a quoted part wherever it is, not only at a field's start. */
  private readonly opensAnywhere: boolean;
  /** {@link next} stops at separators too, not only at line breaks. */
  private readonly separators: boolean;

  /**
   * @param delimiters the field separators (one to three characters): each starts a field.
   * @param options.separators {@link next} stops at separators as well as line breaks
   * (default: at line breaks only, where records end).
   * @param options.opensAnywhere a quote outside quotes opens a quoted part wherever it is:
   * the rule for a header whose separator is not known yet, where every quote opens or
   * closes (`""` closes and opens again).
   */
  constructor(delimiters: string, options: { separators?: boolean; opensAnywhere?: boolean } = {}) {
    this.d0 = delimiters.charCodeAt(0);
    this.d1 = delimiters.length > 1 ? delimiters.charCodeAt(1) : this.d0;
    this.d2 = delimiters.length > 2 ? delimiters.charCodeAt(2) : this.d0;
    this.separators = options.separators === true;
    this.opensAnywhere = options.opensAnywhere === true;
  }

  /** Starts a record on `line`: outside quotes, at a field's start. */
  startRecord(line: number): void {
    this.line = line;
    this.quoting = false;
    this.fieldStart = true;
    this.quoteAtEnd = false;
  }

  /**
   * The index of the next line break (or separator, when asked for) outside quotes, at or
   * after `from` in `s` (a line break moves {@link line} on), or -1 when `s` ends first;
   * scanning goes on in the next piece where this one stopped.
   */
  next(s: string, from: number): number {
    const n = s.length;
    const { d0, d1, d2, opensAnywhere: anywhere, separators } = this;
    let { line, quoting, fieldStart } = this;
    let i = from;
    if (this.quoteAtEnd && i < n) {
      this.quoteAtEnd = false;
      if (s.charCodeAt(i) === QUOTE) i += 1;
      else {
        quoting = false;
        fieldStart = false;
      }
    }
    let found = -1;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (quoting) {
        if (c === LF) line += 1;
        else if (c === QUOTE) {
          if (i + 1 === n) this.quoteAtEnd = true;
          else if (s.charCodeAt(i + 1) === QUOTE) i += 1;
          else {
            quoting = false;
            fieldStart = false;
          }
        }
        continue;
      }
      if (c === QUOTE) {
        if (fieldStart || anywhere) {
          quoting = true;
          this.openedOn = line;
        }
        continue;
      }
      if (c === LF) {
        line += 1;
        fieldStart = true;
        found = i;
        break;
      }
      fieldStart = c === d0 || c === d1 || c === d2;
      if (fieldStart && separators) {
        found = i;
        break;
      }
    }
    this.line = line;
    this.quoting = quoting;
    this.fieldStart = fieldStart;
    return found;
  }

  /** Whether the text so far ends inside a quoted field. */
  get inQuotes(): boolean {
    return this.quoting && !this.quoteAtEnd;
  }

  /** The line of the quote left open at the end of the text, or `null` when every quote closed. */
  openQuoteLine(): number | null {
    return this.inQuotes ? this.openedOn : null;
  }
}
