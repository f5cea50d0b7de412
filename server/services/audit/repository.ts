import { type Kysely, sql } from 'kysely';
import type { AuditLogRow, AuditOutcome, Database } from '../../db/schema.ts';

/** An event to append to the audit trail (the database sets its id and time). */
export interface AuditEntry {
  readonly actorKeyId: string | null;
  readonly actorName: string | null;
  readonly action: string;
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  readonly outcome: AuditOutcome;
  readonly statusCode: number | null;
  readonly clientAddress: string | null;
  readonly requestId: string | null;
  readonly detail: Readonly<Record<string, unknown>> | null;
}

/** An event of the audit trail as it is read back. */
export interface AuditEvent extends AuditEntry {
  /** A decimal integer (a bigint), increasing with each event. */
  readonly id: string;
  readonly at: string;
}

/** What `GET /v1/audit` may ask for; every field narrows the list. */
export interface AuditFilter {
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly resourceId?: string | undefined;
  readonly outcome?: AuditOutcome | undefined;
  /** From this time on (inclusive). */
  readonly from?: Date | undefined;
  /** Before this time (exclusive). */
  readonly to?: Date | undefined;
  /** Events with an id below this one (the cursor of the previous page). */
  readonly before?: string | undefined;
  readonly limit: number;
}

const event = (r: AuditLogRow): AuditEvent => ({
  id: r.id,
  at: r.at.toISOString(),
  actorKeyId: r.actor_key_id,
  actorName: r.actor_name,
  action: r.action,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  outcome: r.outcome,
  statusCode: r.status_code,
  clientAddress: r.client_address,
  requestId: r.request_id,
  detail: r.detail,
});

export type AuditRepository = ReturnType<typeof auditRepository>;

/** The audit trail's queries: append and read, nothing else (the table refuses the rest). */
export function auditRepository(db: Kysely<Database>) {
  return {
    async append(entries: readonly AuditEntry[]): Promise<void> {
      if (entries.length === 0) return;
      await db
        .insertInto('audit_log')
        .values(
          entries.map((e) => ({
            actor_key_id: e.actorKeyId,
            actor_name: e.actorName,
            action: e.action,
            resource_type: e.resourceType,
            resource_id: e.resourceId,
            outcome: e.outcome,
            status_code: e.statusCode,
            client_address: e.clientAddress,
            request_id: e.requestId,
            detail: e.detail === null ? null : JSON.stringify(e.detail),
          })),
        )
        .execute();
    },

    /** A page of events, newest first, and the cursor of the next page (null on the last). */
    async page(f: AuditFilter): Promise<{ items: AuditEvent[]; nextBefore: string | null }> {
      // The id as text: a bigint, which a driver may read as a JavaScript number.
      let q = db
        .selectFrom('audit_log')
        .select([
          sql<string>`id::text`.as('id'),
          'at',
          'actor_key_id',
          'actor_name',
          'action',
          'resource_type',
          'resource_id',
          'outcome',
          'status_code',
          'client_address',
          'request_id',
          'detail',
        ]);
      if (f.actor !== undefined) q = q.where('actor_key_id', '=', f.actor);
      if (f.action !== undefined) q = q.where('action', '=', f.action);
      if (f.resourceType !== undefined) q = q.where('resource_type', '=', f.resourceType);
      if (f.resourceId !== undefined) q = q.where('resource_id', '=', f.resourceId);
      if (f.outcome !== undefined) q = q.where('outcome', '=', f.outcome);
      if (f.from !== undefined) q = q.where('at', '>=', f.from);
      if (f.to !== undefined) q = q.where('at', '<', f.to);
      if (f.before !== undefined)
        q = q.where('audit_log.id', '<', sql<string>`${f.before}::bigint`);
      // One more than asked tells whether there is a next page.
      const rows = await q
        .orderBy('audit_log.id', 'desc')
        .limit(f.limit + 1)
        .execute();
      const items = rows.slice(0, f.limit).map(event);
      return {
        items,
        nextBefore: rows.length > f.limit ? (items[items.length - 1]?.id ?? null) : null,
      };
    },
  };
}
