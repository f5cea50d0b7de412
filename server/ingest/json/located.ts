import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { z } from 'zod';
import { fail, type InputIssue, ok, type Result } from '../../../models/result.ts';
import { zodIssues } from '../../../models/validate.ts';
import { DEFAULT_MAX_ROWS } from '../types.ts';
import { type JsonDocument, readJsonDocument } from './document.ts';

/**
 * Places an issue that carries a JSON path at the line and column of that value in the
 * document (of the nearest existing parent when the value is missing).
 */
export function locateIssue(doc: JsonDocument, issue: InputIssue, file: string): InputIssue {
  const path = issue.path ?? issue.field?.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let node: Node | undefined;
  if (path)
    for (let n = path.length; n >= 0 && !node; n--)
      node = findNodeAtLocation(doc.tree, path.slice(0, n));
  if (!node) return { ...issue, file };
  const p = doc.at(node.parent?.type === 'property' ? node.parent.offset : node.offset);
  return { ...issue, file, row: p.line, column: p.column };
}

/** {@link locateIssue} for each issue. */
export function locateIssues(
  doc: JsonDocument,
  issues: readonly InputIssue[],
  file: string,
): InputIssue[] {
  return issues.map((issue) => locateIssue(doc, issue, file));
}

/**
 * Reads a JSON document (strict JSON, no prototype keys, nesting ≤ 32) and validates it
 * against `schema`; syntax and schema issues come back located (`file:row:column`). On
 * success the document is returned too, to locate later issues (a SKU no sheet has…).
 */
export function parseJsonDocument<S extends z.ZodType>(
  input: Uint8Array | string,
  file: string,
  schema: S,
): Result<{ value: z.infer<S>; doc: JsonDocument }> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const doc = readJsonDocument(bytes, { file, maxRows: DEFAULT_MAX_ROWS });
  if (!doc.ok) return doc;
  const parsed = schema.safeParse(JSON.parse(doc.value.text));
  if (!parsed.success) return fail(locateIssues(doc.value, zodIssues(parsed.error), file));
  return ok({ value: parsed.data, doc: doc.value });
}
