/**
 * Just enough XML for editing the parts of an xlsx package as text: escaping, and finding
 * the top-level children of a root element (so that a nested `<extLst>` inside a
 * conditional format is never mistaken for the worksheet's own).
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/**
 * Text safe for element content and double-quoted attributes (the only kind written here). Characters XML 1.0 forbids
 * (C0 controls other than tab, newline, carriage return) are dropped.
 * @example escapeXml('R&D <Synthèse>') //=> "R&amp;D &lt;Synthèse&gt;"
 */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids exactly these
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      // biome-ignore lint/style/noNonNullAssertion: the pattern matches only the characters ESCAPES maps
      .replace(/[&<>"]/g, (c) => ESCAPES[c]!)
  );
}

/**
 * Reverses escaping: the five named entities and numeric character references.
 * @example unescapeXml('R&amp;D &#233;t&#xE9;') //=> "R&D été"
 */
export function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(
          e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10),
        );
    }
  });
}

/** One markup token: a tag, a comment, a processing instruction or a CDATA section. */
const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;

export interface Tag {
  readonly name: string;
  readonly attrs: string;
  readonly closing: boolean;
  readonly selfClosing: boolean;
  readonly start: number;
  readonly end: number;
}

/** Every tag of a document, in order (comments, PIs and CDATA are skipped). */
export function* tags(xml: string): Generator<Tag> {
  for (const m of xml.matchAll(TOKEN)) {
    if (m[2] === undefined) continue;
    yield {
      name: m[2],
      attrs: m[3] ?? '',
      closing: m[1] === '/',
      selfClosing: m[4] === '/',
      start: m.index,
      end: m.index + m[0].length,
    };
  }
}

/** The value of attribute `name` in a tag's attribute text, unescaped; undefined if absent. */
export function attr(attrs: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|\\s)${name.replace(/[.:]/g, '\\$&')}\\s*=\\s*("([^"]*)"|'([^']*)')`);
  const m = re.exec(attrs);
  return m ? unescapeXml(m[2] ?? m[3] ?? '') : undefined;
}

export interface Child {
  readonly name: string;
  readonly attrs: string;
  /** Offset of the child's start tag. */
  readonly start: number;
  /** Offset just past the child's end tag (or its self-closing tag). */
  readonly end: number;
}

export interface Root {
  readonly name: string;
  readonly attrs: string;
  /** Offset just past the root's start tag. */
  readonly contentStart: number;
  /** Offset of the root's end tag. */
  readonly contentEnd: number;
  readonly children: readonly Child[];
}

/**
 * The root element of a document and its direct children. Throws on unbalanced markup,
 * which in a package exceljs wrote would be a bug.
 * @example parseRoot('<a><b/><c>x</c></a>').children.map((c) => c.name) //=> ["b", "c"]
 */
export function parseRoot(xml: string): Root {
  const stack: Tag[] = [];
  const children: Child[] = [];
  let root: Tag | undefined;
  for (const t of tags(xml)) {
    if (t.closing) {
      const open = stack.pop();
      if (open?.name !== t.name) throw new Error(`unbalanced XML: </${t.name}> at ${t.start}`);
      if (stack.length === 1) {
        children.push({ name: open.name, attrs: open.attrs, start: open.start, end: t.end });
      } else if (stack.length === 0) {
        return {
          name: open.name,
          attrs: open.attrs,
          contentStart: open.end,
          contentEnd: t.start,
          children,
        };
      }
    } else if (t.selfClosing) {
      if (stack.length === 0) throw new Error('XML root element is empty');
      if (stack.length === 1)
        children.push({ name: t.name, attrs: t.attrs, start: t.start, end: t.end });
    } else {
      if (stack.length === 0) {
        if (root) throw new Error('XML has more than one root element');
        root = t;
      }
      stack.push(t);
    }
  }
  throw new Error('XML root element is not closed');
}

/** `xml` with `text` inserted at `offset`. */
export const insertAt = (xml: string, offset: number, text: string): string =>
  xml.slice(0, offset) + text + xml.slice(offset);
