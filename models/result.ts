/**
 * Expected failures are values. An input issue says where (file, row, column, field path)
 * and why; exceptions are kept for bugs.
 */
export interface InputIssue {
  readonly file?: string;
  /** 1-based line of the file (CSV record line, JSON token line). */
  readonly row?: number;
  /** 1-based column (CSV field index, JSON token column). */
  readonly column?: number;
  /** Field name or JSON path, e.g. `workloads.2.unit` or `ListUnitPrice`. */
  readonly field?: string;
  /** The JSON path as keys, when the issue is about a JSON document. */
  readonly path?: readonly (string | number)[];
  /** The offending value as text, when there is one. */
  readonly value?: string;
  readonly message: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly InputIssue[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(issues: readonly InputIssue[]): Result<T> => ({
  ok: false,
  issues,
});

/**
 * `file:row:column: message` — the CLI's error line.
 * @example formatIssue({ file: 'p.csv', row: 3, column: 4, field: 'ListUnitPrice', message: 'must be ≥ 0' })
 * //=> "p.csv:3:4: ListUnitPrice: must be ≥ 0"
 */
export function formatIssue(issue: InputIssue): string {
  const where = [issue.file ?? '<input>', issue.row ?? 0, issue.column ?? 0].join(':');
  const field = issue.field ? `${issue.field}: ` : '';
  return `${where}: ${field}${issue.message}`;
}
