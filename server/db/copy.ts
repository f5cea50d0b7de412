// Bulk loading: `COPY … FROM STDIN` text, and transactions that can send it.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type PostgresPool, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './schema.ts';

/**
 * Sends one `COPY table (columns) FROM STDIN` (text format) with `data` as its rows, inside
 * the transaction it was handed with.
 */
export type CopyIn = (table: string, columns: readonly string[], data: string) => Promise<void>;

/**
 * Runs `work` in one transaction, with a {@link CopyIn} on the same connection where the
 * database is better fed by COPY (PostgreSQL), or `null` (PGlite: see
 * {@link pgliteTransaction}).
 */
export type CopyTransaction = <T>(
  work: (trx: Transaction<Database>, copy: CopyIn | null) => Promise<T>,
) => Promise<T>;

const ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * A value as COPY's text format writes it: `\N` for NULL; backslash, tab, LF and CR escaped.
 * @example copyValue('a\tb') //=> "a\\tb"
 * @example copyValue(null) //=> "\\N"
 */
export function copyValue(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return ESCAPE.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : v;
}

const statement = (table: string, columns: readonly string[], source: string) =>
  `COPY ${table} (${columns.join(', ')}) FROM ${source}`;

/**
 * For PostgreSQL: a transaction on one pooled connection, with Kysely for the queries and
 * pg-copy-streams for COPY on the same connection.
 */
export function pgCopyTransaction(pool: pg.Pool): CopyTransaction {
  return async (work) => {
    const client = await pool.connect();
    try {
      const single = {
        connect: async () => ({ query: client.query.bind(client), release() {} }),
        end: async () => {},
      } as unknown as PostgresPool;
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: single }) });
      const copy: CopyIn = async (table, columns, data) => {
        const sink = client.query(copyFrom(statement(table, columns, 'STDIN')));
        await pipeline(Readable.from([data]), sink);
      };
      const result = await db.transaction().execute((trx) => work(trx, copy));
      client.release();
      return result;
    } catch (e) {
      // A COPY cut off half-way can leave the connection mid-protocol: close it, not reuse it.
      client.release(e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
  };
}

/**
 * For PGlite: a Kysely transaction, without COPY. PGlite reads COPY data from a Blob through
 * its `/dev/blob` device; measured on the 1M-row bench file, that was no cheaper in CPU than
 * INSERT … SELECT FROM unnest(array literals) and slower in elapsed time.
 */
export function pgliteTransaction(db: Kysely<Database>): CopyTransaction {
  return (work) => db.transaction().execute((trx) => work(trx, null));
}
