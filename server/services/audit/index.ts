import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { REFUSAL_WINDOW_MS, type RefusalCount, refusalBound } from './refusals.ts';
import { type AuditEntry, type AuditFilter, auditRepository } from './repository.ts';

export type { AuditEntry, AuditEvent, AuditFilter } from './repository.ts';

/** Where an audit row that could not be written is reported (pino's logger fits). */
export interface AuditLog {
  error(obj: object, msg: string): void;
}

/** The action of the row that stands for refusals counted beyond the bounds. */
export const AGGREGATED_ACTION = 'refusals beyond the audit bound';

/** One row for the refusals of one address group beyond the bounds in one window. */
export function aggregateEntry(c: RefusalCount): AuditEntry {
  return {
    actorKeyId: null,
    actorName: null,
    action: AGGREGATED_ACTION,
    resourceType: null,
    resourceId: null,
    outcome: 'refused',
    statusCode: null,
    clientAddress: c.group,
    requestId: null,
    detail: {
      count: c.count,
      first: new Date(c.first).toISOString(),
      last: new Date(c.last).toISOString(),
      statuses: c.statuses,
    },
  };
}

/**
 * An event of the service or the CLI acting on its own (no key, address or request): the
 * bootstrap admin key, the sample loaded at first start, `keys create` from the CLI.
 * @example systemEntry('server start', 'bootstrap admin key', 'key', id, 'ok', { role: 'admin' })
 */
export function systemEntry(
  actorName: string,
  action: string,
  resourceType: string,
  resourceId: string | null,
  outcome: AuditEntry['outcome'],
  detail: Readonly<Record<string, unknown>> | null,
): AuditEntry {
  return {
    actorKeyId: null,
    actorName,
    action,
    resourceType,
    resourceId,
    outcome,
    statusCode: null,
    clientAddress: null,
    requestId: null,
    detail,
  };
}

export type AuditService = ReturnType<typeof auditService>;

/**
 * The audit trail: appends events and reads them back. Appending never throws: the write it
 * records has already happened (committed, answered), so a lost audit row is logged at error
 * level with the whole event (which holds no secret), for an operator to find and re-enter,
 * and the answer to the client is left as it is. Refusals without an accountable key go
 * through {@link refusalBound}.
 */
export function auditService(
  db: Kysely<Database>,
  opts: {
    readonly log: AuditLog;
    readonly bound?: Parameters<typeof refusalBound>[0];
    /** Writes the counts of ended windows every window (off in tests that drive the clock). */
    readonly timer?: boolean;
  },
) {
  const repo = auditRepository(db);
  const bound = refusalBound(opts.bound);

  async function append(entries: readonly AuditEntry[], log: AuditLog): Promise<boolean> {
    try {
      await repo.append(entries);
      return true;
    } catch (err) {
      for (const audit of entries)
        log.error(
          { err, audit },
          `AUDIT EVENT LOST: the audit trail could not be written (${audit.action}, ${audit.outcome})`,
        );
      return false;
    }
  }

  const flush = () => append(bound.due().map(aggregateEntry), opts.log);
  const timer =
    opts.timer === false ? undefined : setInterval(() => void flush(), REFUSAL_WINDOW_MS).unref();

  return {
    /** Appends one event; false (and an error logged) when it could not be written. */
    record(entry: AuditEntry, log: AuditLog = opts.log): Promise<boolean> {
      return append([entry], log);
    },

    /**
     * Appends a refusal from `group` (a client address group), or counts it when its address or
     * all addresses are over their bound this window; counts of ended windows are written with it.
     */
    async refused(entry: AuditEntry, group: string, log: AuditLog = opts.log): Promise<boolean> {
      const own = bound.admit(group, entry.statusCode ?? 0);
      const entries = bound.due().map(aggregateEntry);
      if (own) entries.push(entry);
      return append(entries, log);
    },

    list: (filter: AuditFilter) => repo.page(filter),

    /** Writes the counts of ended windows now. */
    flush,

    /** Stops the timer and writes every count, the current window's included. */
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      await append(bound.drain().map(aggregateEntry), opts.log);
    },
  };
}
