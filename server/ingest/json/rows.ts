import type { Node } from 'jsonc-parser';
import type { InputIssue, Result } from '../../../models/result.ts';
import { PRICE_VALUE_COLUMNS, type PriceColumn, priceColumn } from '../columns.ts';
import { numberText, plainDecimal } from '../numbers.ts';
import {
  type Cell,
  cellIssue,
  finish,
  type IssueLog,
  issueLog,
  type Place,
  placeOf,
  type SourceRecord,
  tooManyRows,
  validateRecords,
} from '../rows.ts';
import type { ParseContext, ParsedPriceSheet } from '../types.ts';
import { type JsonDocument, property, readJsonDocument } from './document.ts';

/** The row objects of a document: a top-level array, or the array under `"rows"`. */
function rowArray(doc: JsonDocument): { node: Node; path: (string | number)[] } | null {
  const { tree } = doc;
  if (tree.type === 'array') return { node: tree, path: [] };
  const rows = property(tree, 'rows');
  return rows?.type === 'array' ? { node: rows, path: ['rows'] } : null;
}

/** One JSON value of a known column: its text for the schema, or why it cannot be one. */
function cellValue(column: PriceColumn, node: Node): { text?: string; problem?: string } {
  const price = PRICE_VALUE_COLUMNS.includes(column);
  if (node.type === 'null') return {};
  if (node.type === 'string') {
    const t = String(node.value);
    if (t.trim() === '') return {};
    if (!price) return { text: t };
    const n = plainDecimal(t.trim());
    return n === null
      ? { problem: `"${t}" is not a decimal number (write it like "2.50" or 2.50)` }
      : { text: n };
  }
  if (node.type === 'number' && price) {
    const n = numberText(Number(node.value));
    return n === null ? { problem: `${String(node.value)} is not a finite number` } : { text: n };
  }
  return {
    problem: price
      ? `must be a number or a decimal written as a string, such as "2.50" (got ${node.type})`
      : `must be a string (got ${node.type})`,
  };
}

function recordOf(
  doc: JsonDocument,
  node: Node,
  path: (string | number)[],
  log: IssueLog,
): SourceRecord | null {
  const start = doc.at(node.offset);
  const at: Place = { row: start.line, column: start.column, path };
  if (node.type !== 'object') {
    log.add({
      ...placeOf(at),
      message: `each row must be an object with column names as keys (got ${node.type})`,
    });
    return null;
  }
  const values: SourceRecord['values'] = {};
  const cells: Partial<Record<PriceColumn, Cell>> = {};
  const issues: InputIssue[] = [];
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const column = priceColumn(key);
    if (column === null) continue;
    const p = doc.at(valueNode.offset);
    const raw =
      valueNode.type === 'string'
        ? String(valueNode.value)
        : doc.text.slice(valueNode.offset, valueNode.offset + valueNode.length);
    const cell: Cell = { row: p.line, column: p.column, path: [...path, key], raw };
    if (cells[column]) {
      issues.push(cellIssue(column, cell, `"${key}" names ${column} a second time in this row`));
      continue;
    }
    cells[column] = cell;
    const v = cellValue(column, valueNode);
    if (v.problem !== undefined) issues.push(cellIssue(column, cell, v.problem));
    else if (v.text !== undefined) values[column] = v.text;
  }
  return { at, values, cells, issues };
}

/** Price rows from a JSON document already read (see {@link parseJsonRows}). */
export async function jsonRowsFromDocument(
  doc: JsonDocument,
  ctx: ParseContext,
): Promise<Result<ParsedPriceSheet>> {
  const log = issueLog(ctx.file);
  const found = rowArray(doc);
  if (!found) {
    const p = doc.at(doc.tree.offset);
    log.add({
      row: p.line,
      column: p.column,
      message:
        'must be a JSON array of price rows, an object { "rows": [ … ] }, or a LiteLLM price catalogue',
    });
    return finish('json', { rows: [], lines: [] }, log);
  }
  const elements = found.node.children ?? [];
  const over = elements[ctx.maxRows];
  if (over) {
    log.add(tooManyRows(ctx, doc.at(over.offset).line));
    return finish('json', { rows: [], lines: [] }, log);
  }
  const records: SourceRecord[] = [];
  elements.forEach((node, i) => {
    const r = recordOf(doc, node, [...found.path, i], log);
    if (r) records.push(r);
  });
  const result = await validateRecords(records, ctx, log);
  return finish('json', result, log, { notes: doc.notes });
}

/**
 * Parses price rows written as JSON: an array of row objects, or `{ "rows": [ … ] }`, with
 * the CSV column names as keys; prices as decimal strings ("2.50") or JSON numbers. Issues
 * carry the line and column of the offending value.
 * @example await parseJsonRows(bytes, { file: 'prices.json', maxRows: 1_000_000 })
 */
export async function parseJsonRows(
  bytes: Uint8Array,
  ctx: ParseContext,
): Promise<Result<ParsedPriceSheet>> {
  const doc = readJsonDocument(bytes, ctx);
  return doc.ok ? jsonRowsFromDocument(doc.value, ctx) : doc;
}
