// Migration 0004: provider names stored before uploads and assumption sets normalised them.
import { type Kysely, sql } from 'kysely';
import { normalizedProviderName, providerKey } from '../../models/fields.ts';

/** What the normalisation changed, and the names it left as they were. */
export interface ProviderNamesReport {
  readonly sheets: number;
  readonly blocks: number;
  readonly assumptionSets: number;
  /** Names holding an invisible or bidi control character, left unchanged: `sheet <id>: "…"`. */
  readonly leftAsStored: readonly string[];
}

/** A name as it may be shown in a log: invisible characters written as `\u200B`. */
const shown = (s: string) =>
  JSON.stringify(s).replace(
    /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );

/** The name normalised, or the same name when it holds an invisible character (noted). */
function normalise(name: string, where: string, left: Set<string>): string {
  const n = normalizedProviderName(name);
  if (n === null) {
    left.add(`${where}: ${shown(name)}`);
    return name;
  }
  return n;
}

interface StoredAssumptions {
  providers?: { name?: unknown }[];
  workloads?: { provider?: unknown; fallback?: { provider?: unknown } | null }[];
}

/**
 * Brings provider names stored before normalisation to the form new uploads and assumption
 * sets get (trimmed, Unicode NFC): in price rows (the blocks), in each version's provider list
 * and in stored assumption sets. Two spellings that are canonically the same ("Café" typed as
 * e + U+0301, and as é) become one provider, as they would be uploaded today.
 *
 * Left as stored, by choice:
 * - a name holding an invisible or bidi control character (`Open\u200BAI`): taking the
 *   character out could merge it with the real provider ("OpenAI") and change which sheet
 *   prices that provider's SKUs; new assumptions cannot name it, so it prices nothing new.
 *   Each is listed in the report, for an administrator to re-upload the sheet.
 * - an assumption set whose provider list would then name one provider twice (its two
 *   spellings with different jurisdictions, say): merging them would be a choice between two
 *   of the user's entries.
 * - forecasts: they pin their inputs as they were computed (and hash them); prices are
 *   matched to names by {@link providerKey}, so a pinned decomposed name still finds its rows.
 */
export async function normalizeStoredProviderNames(
  db: Kysely<unknown>,
): Promise<ProviderNamesReport> {
  const left = new Set<string>();
  let sheets = 0;
  let blocks = 0;
  let assumptionSets = 0;

  // Blocks with any character beyond ASCII; a block of ASCII only is already normalised.
  const candidates = await sql<{ sheet_id: string; first_idx: number }>`
    SELECT sheet_id, first_idx FROM price_row_blocks WHERE rows ~ '[^\\x01-\\x7f]'
    ORDER BY sheet_id, first_idx`.execute(db);
  for (const { sheet_id, first_idx } of candidates.rows) {
    const { rows } = await sql<{ rows: string }>`
      SELECT rows FROM price_row_blocks
      WHERE sheet_id = ${sheet_id} AND first_idx = ${first_idx}`.execute(db);
    const text = rows[0]?.rows;
    if (text === undefined) continue;
    const stored = JSON.parse(text) as unknown[][];
    let changed = false;
    for (const row of stored) {
      const name = row[1];
      if (typeof name !== 'string') continue;
      const n = normalise(name, `sheet ${sheet_id}`, left);
      if (n !== name) {
        row[1] = n;
        changed = true;
      }
    }
    if (!changed) continue;
    await sql`
      UPDATE price_row_blocks SET rows = ${JSON.stringify(stored)}
      WHERE sheet_id = ${sheet_id} AND first_idx = ${first_idx}`.execute(db);
    blocks += 1;
  }

  // Each version's distinct provider names, sorted as an upload sorts them.
  const lists = await sql<{ id: string; providers: string[] }>`
    SELECT id, providers FROM price_sheets
    WHERE EXISTS (SELECT 1 FROM unnest(providers) AS p WHERE p ~ '[^\\x01-\\x7f]' OR p <> btrim(p))
    ORDER BY id`.execute(db);
  for (const { id, providers } of lists.rows) {
    const next = [...new Set(providers.map((p) => normalise(p, `sheet ${id}`, left)))].sort();
    if (next.length === providers.length && next.every((p, i) => p === providers[i])) continue;
    await sql`UPDATE price_sheets SET providers = ${next} WHERE id = ${id}`.execute(db);
    sheets += 1;
  }

  // Stored assumption sets: the providers list, and each workload's provider and fallback.
  const sets = await sql<{ id: string; body: string }>`
    SELECT id, body::text AS body FROM assumption_sets
    WHERE body::text ~ '[^\\x01-\\x7f]' ORDER BY id`.execute(db);
  for (const { id, body } of sets.rows) {
    const a = JSON.parse(body) as StoredAssumptions;
    const where = `assumption set ${id}`;
    let changed = false;
    const fix = (v: unknown): unknown => {
      if (typeof v !== 'string') return v;
      const n = normalise(v, where, left);
      if (n !== v) changed = true;
      return n;
    };
    for (const p of a.providers ?? []) p.name = fix(p.name);
    for (const w of a.workloads ?? []) {
      w.provider = fix(w.provider);
      if (w.fallback) w.fallback.provider = fix(w.fallback.provider);
    }
    if (!changed) continue;
    const keys = (a.providers ?? []).map((p) =>
      typeof p.name === 'string' ? providerKey(p.name) : '',
    );
    if (new Set(keys).size < keys.length) {
      left.add(`${where}: its provider list would name one provider twice`);
      continue;
    }
    await sql`UPDATE assumption_sets SET body = ${JSON.stringify(a)}::json WHERE id = ${id}`.execute(
      db,
    );
    assumptionSets += 1;
  }
  return { sheets, blocks, assumptionSets, leftAsStored: [...left] };
}
