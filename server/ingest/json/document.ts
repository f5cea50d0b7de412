import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { fail, ok, type Result } from '../../../models/result.ts';
import { forbiddenKeys, hostileStrings } from '../../../models/validate.ts';
import { issueLog } from '../rows.ts';
import { decodeText, lineIndex } from '../text.ts';
import type { ParseContext } from '../types.ts';

/** Deeper nesting than this (keys in a path) is refused, as `forbiddenKeys` does. */
export const MAX_JSON_DEPTH = 32;

/** A parsed JSON file that keeps the position of every value. */
export interface JsonDocument {
  readonly text: string;
  readonly tree: Node;
  /** 1-based line and column of an offset in `text`. */
  readonly at: (offset: number) => { line: number; column: number };
  readonly notes: readonly string[];
}

const SYNTAX: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected "," between values',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comment not closed',
  UnexpectedEndOfString: 'string not closed',
  UnexpectedEndOfNumber: 'number not finished',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'control character inside a string',
};

/** Offset of the first array or object nested deeper than `maxDepth` keys, if any. */
function tooDeep(text: string, maxDepth: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > maxDepth + 1) return i;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return null;
}

/**
 * Reads a JSON file strictly (no comments, no trailing commas), refusing `__proto__`,
 * `constructor` and `prototype` keys and nesting deeper than 32 levels. Issues carry the
 * line and column of the problem.
 */
export function readJsonDocument(bytes: Uint8Array, ctx: ParseContext): Result<JsonDocument> {
  const log = issueLog(ctx.file);
  const decoded = decodeText(bytes);
  const text = decoded.text;
  const at = lineIndex(text);
  const where = (offset: number) => {
    const p = at(offset);
    return { row: p.line, column: p.column };
  };

  const deep = tooDeep(text, MAX_JSON_DEPTH);
  if (deep !== null) {
    log.add({
      ...where(deep),
      message: `is nested too deeply (more than ${MAX_JSON_DEPTH} levels)`,
    });
    return fail(log.issues());
  }

  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  for (const e of errors.slice(0, 10)) {
    const p = at(e.offset);
    const what = SYNTAX[printParseErrorCode(e.error)] ?? printParseErrorCode(e.error);
    log.add({
      row: p.line,
      column: p.column,
      message: `is not valid JSON: ${what} at line ${p.line}, column ${p.column}`,
    });
  }
  if (log.count() > 0 || !tree) {
    if (log.count() === 0) log.add({ message: 'is not valid JSON: the file is empty' });
    return fail(log.issues());
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const offset = /position (\d+)/.exec(String(e))?.[1];
    log.add({
      ...(offset === undefined ? {} : where(Number(offset))),
      message: `is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    });
    return fail(log.issues());
  }
  for (const path of forbiddenKeys(value, MAX_JSON_DEPTH)) {
    const key = findNodeAtLocation(tree, path)?.parent?.children?.[0];
    log.add({
      ...(key ? where(key.offset) : {}),
      field: path.join('.'),
      path,
      value: String(path.at(-1)),
      message: `the key "${String(path.at(-1))}" is not allowed (it could change an object's prototype)`,
    });
  }
  // Text PostgreSQL cannot store (a NUL, a lone surrogate such as "x\ud800y") is refused here,
  // at the value it sits in, so nothing of the file is stored.
  for (const { path, message } of hostileStrings(value, MAX_JSON_DEPTH)) {
    const node = findNodeAtLocation(tree, path);
    log.add({
      ...(node ? where(node.offset) : {}),
      field: path.join('.'),
      path,
      message,
    });
  }
  if (log.count() > 0) return fail(log.issues());
  return ok({ text, tree, at, notes: decoded.note ? [decoded.note] : [] });
}

/** The value node of property `key` of an object node (the last one, as JSON.parse keeps). */
export function property(node: Node, key: string): Node | undefined {
  let found: Node | undefined;
  if (node.type === 'object')
    for (const p of node.children ?? []) if (p.children?.[0]?.value === key) found = p.children[1];
  return found;
}
