import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

/**
 * The one migration set, for PGlite and PostgreSQL alike. Append new migrations; never edit
 * one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE api_keys (
          id uuid PRIMARY KEY,
          name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
          role text NOT NULL CHECK (role IN ('viewer', 'analyst', 'finance', 'admin')),
          key_hash text NOT NULL UNIQUE,
          prefix text NOT NULL,
          created_by text,
          created_at timestamptz NOT NULL DEFAULT now(),
          revoked_at timestamptz
        )`.execute(db);
      await sql`
        CREATE TABLE price_sheets (
          id uuid PRIMARY KEY,
          quarter text NOT NULL,
          file_name text NOT NULL,
          format text NOT NULL,
          media_type text,
          sha256 text NOT NULL UNIQUE,
          byte_size integer NOT NULL,
          providers text[] NOT NULL,
          row_count integer NOT NULL,
          skipped integer NOT NULL,
          notes text[] NOT NULL,
          uploaded_by text NOT NULL,
          uploaded_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`CREATE INDEX price_sheets_quarter ON price_sheets (quarter, uploaded_at)`.execute(
        db,
      );
      // No foreign key to price_sheets: a version's rows are only ever written in the
      // transaction that creates it, and versions are never deleted; the per-row check would
      // halve the ingest rate.
      await sql`
        CREATE TABLE price_rows (
          sheet_id uuid NOT NULL,
          idx integer NOT NULL,
          line integer NOT NULL,
          provider_name text NOT NULL,
          sku_id text NOT NULL,
          pricing_unit text NOT NULL,
          list_unit_price numeric NOT NULL,
          pricing_currency text NOT NULL,
          contracted_unit_price numeric,
          service_category text,
          service_name text,
          region_id text,
          pricing_category text,
          description text,
          x_source text,
          x_as_of text,
          PRIMARY KEY (sheet_id, idx)
        )`.execute(db);
      await sql`
        CREATE TABLE assumption_sets (
          id uuid PRIMARY KEY,
          name text NOT NULL,
          version integer NOT NULL,
          body json NOT NULL,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (name, version)
        )`.execute(db);
      await sql`
        CREATE TABLE forecasts (
          id uuid PRIMARY KEY,
          name text NOT NULL,
          quarter text NOT NULL,
          assumption_set_id uuid REFERENCES assumption_sets (id),
          assumptions json NOT NULL,
          scenarios json,
          price_sources json NOT NULL,
          draws integer NOT NULL,
          seed integer NOT NULL,
          generated_at timestamptz NOT NULL,
          engine_version text NOT NULL,
          input_hash text NOT NULL,
          result json NOT NULL,
          status text NOT NULL DEFAULT 'draft'
            CHECK (status IN ('draft', 'in_review', 'approved', 'rejected')),
          created_by text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          reviewed_by text,
          reviewed_at timestamptz,
          review_note text
        )`.execute(db);
      await sql`CREATE INDEX forecasts_created ON forecasts (created_at)`.execute(db);
      await sql`
        CREATE TABLE app_state (
          key text PRIMARY KEY,
          value json NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
