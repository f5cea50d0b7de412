import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import { type Assumptions, assumptionsSchema } from '../../models/assumptions.ts';
import { scenariosFileSchema } from '../../models/scenarios.ts';
import { validate } from '../../models/validate.ts';
import type { AssumptionSetRow, Database } from '../db/schema.ts';

export interface AssumptionSetSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface AssumptionSet extends AssumptionSetSummary {
  readonly assumptions: Assumptions;
  /** What today's rules would refuse in the stored document ({@link storedWarnings}). */
  readonly warnings?: string[];
}

/**
 * What the current input rules would refuse in a stored assumptions document, one line each
 * ("providers.1.name: provider "Café" is listed twice"), or undefined when nothing: a set
 * stored before a rule existed (or left by migration 0004) is served as stored, and says so.
 */
export function storedWarnings(stored: unknown): string[] | undefined {
  return warningsOf(assumptionsSchema, stored, '');
}

/** What today's scenario rules would refuse in the scenarios a forecast pinned, as for a set. */
export function storedScenarioWarnings(stored: unknown): string[] | undefined {
  return warningsOf(scenariosFileSchema, stored, 'scenarios: ');
}

function warningsOf(schema: z.ZodType, stored: unknown, prefix: string): string[] | undefined {
  const checked = validate(schema, stored);
  if (checked.ok) return undefined;
  return checked.issues
    .slice(0, 100)
    .map((i) => prefix + (i.field ? `${i.field}: ${i.message}` : i.message));
}

/** A stored set with its warnings, when it has any. */
function withWarnings(set: AssumptionSet): AssumptionSet {
  const warnings = storedWarnings(set.assumptions);
  return warnings ? { ...set, warnings } : set;
}

const summary = (r: Omit<AssumptionSetRow, 'body'>): AssumptionSetSummary => ({
  id: r.id,
  name: r.name,
  version: r.version,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/** Assumption sets kept in memory. */
const CACHE_MAX = 1000;

export type AssumptionsService = ReturnType<typeof assumptionsService>;

/** Named, versioned assumption sets: each save of a name is its next version. */
export function assumptionsService(db: Kysely<Database>) {
  /** Sets are immutable once saved: remembered by id, the least recently used going first. */
  const cache = new LRUCache<string, AssumptionSet>({ max: CACHE_MAX });
  return {
    /**
     * Stores validated assumptions as the next version of their `name`. Two instances saving
     * the same name at once both succeed, with consecutive versions.
     */
    async create(assumptions: Assumptions, createdBy: string): Promise<AssumptionSet> {
      for (let attempt = 0; ; attempt++) {
        try {
          const row = await db
            .insertInto('assumption_sets')
            .values({
              id: randomUUID(),
              name: assumptions.name,
              version: sql<number>`(SELECT coalesce(max(version), 0) + 1 FROM assumption_sets WHERE name = ${assumptions.name})`,
              body: JSON.stringify(assumptions),
              created_by: createdBy,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          return { ...summary(row), assumptions: row.body as Assumptions };
        } catch (e) {
          if (!isUniqueViolation(e) || attempt >= 20) throw e;
        }
      }
    },

    async list(filter: {
      readonly name?: string | undefined;
      readonly limit: number;
      readonly offset: number;
    }): Promise<{ items: AssumptionSetSummary[]; total: number }> {
      let q = db.selectFrom('assumption_sets');
      if (filter.name !== undefined) q = q.where('name', '=', filter.name);
      const [rows, total] = await Promise.all([
        q
          .select(['id', 'name', 'version', 'created_by', 'created_at'])
          .orderBy('created_at', 'desc')
          .orderBy('name')
          .orderBy('version', 'desc')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        q.select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(summary), total: Number(total.n) };
    },

    async get(id: string): Promise<AssumptionSet | null> {
      const hit = cache.get(id);
      if (hit) return hit;
      const row = await db
        .selectFrom('assumption_sets')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      const set = withWarnings({ ...summary(row), assumptions: row.body as Assumptions });
      cache.set(id, set);
      return set;
    },
  };
}
