import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import { normalizeStoredProviderNames } from './provider-names.ts';

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
  // A version's rows are written once and always read together (the engine, paging, the
  // diff), so they are stored in blocks of consecutive rows, one JSON array of arrays per
  // block. One row per price meant Postgres built a heap tuple and an index entry per row:
  // ingest ran at under 50 000 rows/s in PGlite, whatever the parser did. `price_rows` stays
  // as a view for the queries (the diff) that want rows.
  '0002_price_row_blocks': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE price_row_blocks (
          sheet_id uuid NOT NULL,
          first_idx integer NOT NULL,
          row_count integer NOT NULL,
          rows text NOT NULL,
          PRIMARY KEY (sheet_id, first_idx)
        )`.execute(db);
      await sql`
        INSERT INTO price_row_blocks (sheet_id, first_idx, row_count, rows)
        SELECT sheet_id, min(idx), count(*), json_agg(json_build_array(line, provider_name,
            sku_id, pricing_unit, list_unit_price::text, pricing_currency,
            contracted_unit_price::text, service_category, service_name, region_id,
            pricing_category, description, x_source, x_as_of) ORDER BY idx)::text
        FROM price_rows
        GROUP BY sheet_id, idx / 5000`.execute(db);
      await sql`DROP TABLE price_rows`.execute(db);
      await sql`
        CREATE VIEW price_rows AS
        SELECT b.sheet_id, b.first_idx + (r.ord - 1)::integer AS idx,
          (r.v ->> 0)::integer AS line, r.v ->> 1 AS provider_name, r.v ->> 2 AS sku_id,
          r.v ->> 3 AS pricing_unit, (r.v ->> 4)::numeric AS list_unit_price,
          r.v ->> 5 AS pricing_currency, (r.v ->> 6)::numeric AS contracted_unit_price,
          r.v ->> 7 AS service_category, r.v ->> 8 AS service_name, r.v ->> 9 AS region_id,
          r.v ->> 10 AS pricing_category, r.v ->> 11 AS description, r.v ->> 12 AS x_source,
          r.v ->> 13 AS x_as_of
        FROM price_row_blocks b
        CROSS JOIN LATERAL json_array_elements(b.rows::json) WITH ORDINALITY AS r (v, ord)`.execute(
        db,
      );
    },
  },
  // Which sheet wins a SKU: a contract over a provider's price list over a catalogue
  // (models/freshness.ts). Stored versions get the kind the upload would now infer: a LiteLLM
  // catalogue by its format, a contract when any row has a ContractedUnitPrice. Forecasts pin
  // the staleness threshold they were computed with.
  '0003_sheet_kind_and_staleness': {
    async up(db: Kysely<unknown>) {
      await sql`
        ALTER TABLE price_sheets ADD COLUMN kind text NOT NULL DEFAULT 'provider'
          CHECK (kind IN ('contract', 'provider', 'catalogue'))`.execute(db);
      await sql`UPDATE price_sheets SET kind = 'catalogue' WHERE format = 'litellm'`.execute(db);
      await sql`
        UPDATE price_sheets SET kind = 'contract'
        WHERE kind = 'provider' AND EXISTS (
          SELECT 1 FROM price_rows r
          WHERE r.sheet_id = price_sheets.id AND r.contracted_unit_price IS NOT NULL)`.execute(db);
      await sql`ALTER TABLE forecasts ADD COLUMN stale_after_quarters integer`.execute(db);
    },
  },
  // Provider names as uploads and assumption sets now store them (trimmed, Unicode NFC), in
  // rows stored before; a name with an invisible or bidi character is left as it is and
  // listed in app_state 'provider_names_left_as_stored' (server/db/provider-names.ts).
  '0004_provider_names_nfc': {
    async up(db: Kysely<unknown>) {
      const report = await normalizeStoredProviderNames(db);
      if (report.leftAsStored.length > 0)
        await sql`
          INSERT INTO app_state (key, value)
          VALUES ('provider_names_left_as_stored', ${JSON.stringify(report.leftAsStored)}::json)
          ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`.execute(db);
    },
  },
  // Review with four eyes (issue 15). Every review transition is an event of
  // forecast_events, written in the transaction of the status change and never changed:
  // a trigger refuses UPDATE, DELETE and TRUNCATE of the table. An approved forecast is
  // immutable: a trigger refuses UPDATE and DELETE of a row whose status is 'approved' (and
  // TRUNCATE while one exists). forecasts gains the creating key's id (four eyes compares
  // key ids; rows from before have none, and are compared by name) and `revises`, the
  // rejected forecast a draft revises (one revision each).
  // Backfilled, marked `backfilled`, with no key id: one 'create' event per stored forecast,
  // and where reviewed_by is set, the event its status implies (in_review: submit, approved:
  // approve, rejected: reject), by reviewed_by at reviewed_at with its note. reviewed_by,
  // reviewed_at and review_note now record only an approval or a rejection: an in-review
  // forecast's submitter moves to its submit event and leaves those columns.
  '0005_forecast_review': {
    async up(db: Kysely<unknown>) {
      await sql`ALTER TABLE forecasts ADD COLUMN created_by_key uuid`.execute(db);
      await sql`ALTER TABLE forecasts ADD COLUMN revises uuid REFERENCES forecasts (id)`.execute(
        db,
      );
      await sql`
        CREATE UNIQUE INDEX forecasts_revises ON forecasts (revises)
        WHERE revises IS NOT NULL`.execute(db);
      await sql`CREATE INDEX forecasts_quarter_status ON forecasts (quarter, status)`.execute(db);
      await sql`
        CREATE TABLE forecast_events (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          forecast_id uuid NOT NULL REFERENCES forecasts (id),
          at timestamptz NOT NULL DEFAULT now(),
          actor_key uuid,
          actor_name text NOT NULL,
          action text NOT NULL
            CHECK (action IN ('create', 'submit', 'approve', 'reject', 'revise')),
          from_status text CHECK (from_status IN ('draft', 'in_review', 'approved', 'rejected')),
          to_status text NOT NULL
            CHECK (to_status IN ('draft', 'in_review', 'approved', 'rejected')),
          note text,
          acknowledgement json,
          backfilled boolean NOT NULL DEFAULT false,
          CHECK (actor_key IS NOT NULL OR backfilled),
          CHECK (acknowledgement IS NULL OR action = 'approve')
        )`.execute(db);
      await sql`CREATE INDEX forecast_events_forecast ON forecast_events (forecast_id, id)`.execute(
        db,
      );
      await sql`
        INSERT INTO forecast_events
          (forecast_id, at, actor_key, actor_name, action, from_status, to_status, note, backfilled)
        SELECT id, created_at, NULL, created_by, 'create', NULL, 'draft', NULL, true
        FROM forecasts
        ORDER BY created_at, id`.execute(db);
      await sql`
        INSERT INTO forecast_events
          (forecast_id, at, actor_key, actor_name, action, from_status, to_status, note, backfilled)
        SELECT id, coalesce(reviewed_at, created_at), NULL, reviewed_by,
          CASE status WHEN 'in_review' THEN 'submit' WHEN 'approved' THEN 'approve' ELSE 'reject' END,
          CASE status WHEN 'in_review' THEN 'draft' ELSE 'in_review' END,
          status, review_note, true
        FROM forecasts
        WHERE reviewed_by IS NOT NULL AND status <> 'draft'
        ORDER BY coalesce(reviewed_at, created_at), id`.execute(db);
      await sql`
        UPDATE forecasts SET reviewed_by = NULL, reviewed_at = NULL, review_note = NULL
        WHERE status = 'in_review'`.execute(db);

      await sql`
        CREATE FUNCTION forecast_events_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'forecast_events is append-only: % is refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END
        $$`.execute(db);
      await sql`
        CREATE TRIGGER forecast_events_append_only
        BEFORE UPDATE OR DELETE ON forecast_events
        FOR EACH ROW EXECUTE FUNCTION forecast_events_append_only()`.execute(db);
      await sql`
        CREATE TRIGGER forecast_events_no_truncate
        BEFORE TRUNCATE ON forecast_events
        FOR EACH STATEMENT EXECUTE FUNCTION forecast_events_append_only()`.execute(db);

      await sql`
        CREATE FUNCTION forecasts_approved_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'TRUNCATE' THEN
            IF EXISTS (SELECT 1 FROM forecasts WHERE status = 'approved') THEN
              RAISE EXCEPTION 'approved forecasts cannot be deleted: TRUNCATE is refused'
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NULL;
          END IF;
          IF OLD.status = 'approved' THEN
            RAISE EXCEPTION 'forecast % is approved: approved forecasts are immutable and cannot be deleted (% refused)',
              OLD.id, TG_OP USING ERRCODE = 'insufficient_privilege';
          END IF;
          IF TG_OP = 'DELETE' THEN
            RETURN OLD;
          END IF;
          RETURN NEW;
        END
        $$`.execute(db);
      await sql`
        CREATE TRIGGER forecasts_approved_immutable
        BEFORE UPDATE OR DELETE ON forecasts
        FOR EACH ROW EXECUTE FUNCTION forecasts_approved_immutable()`.execute(db);
      await sql`
        CREATE TRIGGER forecasts_approved_no_truncate
        BEFORE TRUNCATE ON forecasts
        FOR EACH STATEMENT EXECUTE FUNCTION forecasts_approved_immutable()`.execute(db);
    },
  },
  // The audit trail (server/services/audit/): one row per write, failed write and refused
  // authentication. Append-only in the database itself: a statement trigger refuses UPDATE,
  // DELETE and TRUNCATE whoever runs them (a role that owns the table can still drop the
  // trigger: see docs/), and a row trigger stamps `at` with the database's clock so that an
  // insert cannot backdate itself. PUBLIC is refused those privileges too (it has none by
  // default; this says so on PostgreSQL servers whose defaults were widened).
  '0006_audit_log': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE audit_log (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          at timestamptz NOT NULL DEFAULT clock_timestamp(),
          actor_key_id uuid,
          actor_name text,
          action text NOT NULL,
          resource_type text,
          resource_id text,
          outcome text NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
          status_code integer,
          client_address text,
          request_id text,
          detail json
        )`.execute(db);
      await sql`CREATE INDEX audit_log_actor ON audit_log (actor_key_id, id)`.execute(db);
      await sql`CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id, id)`.execute(
        db,
      );
      await sql`CREATE INDEX audit_log_at ON audit_log (at)`.execute(db);
      await sql`
        CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP
            USING ERRCODE = 'insufficient_privilege',
              HINT = 'the audit trail can only be added to (INSERT) and read';
        END
        $$`.execute(db);
      await sql`
        CREATE TRIGGER audit_log_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`.execute(db);
      await sql`
        CREATE FUNCTION audit_log_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.at := clock_timestamp();
          RETURN NEW;
        END
        $$`.execute(db);
      await sql`
        CREATE TRIGGER audit_log_stamp BEFORE INSERT ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_stamp()`.execute(db);
      await sql`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`.execute(db);
    },
  },
  // Price-sheet versions reviewed by finance, four eyes against the uploader: each review is
  // a row kept forever (the latest is the version's state), refused UPDATE, DELETE and
  // TRUNCATE by a trigger. A version records its uploader's key (null before this migration:
  // four eyes then compares names); a forecast pins the review state of each sheet it used
  // (null on forecasts made before: read as unreviewed).
  '0007_price_sheet_reviews': {
    async up(db: Kysely<unknown>) {
      await sql`ALTER TABLE price_sheets ADD COLUMN uploaded_by_key uuid`.execute(db);
      await sql`ALTER TABLE forecasts ADD COLUMN source_reviews json`.execute(db);
      await sql`
        CREATE TABLE price_sheet_reviews (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          sheet_id uuid NOT NULL REFERENCES price_sheets (id),
          at timestamptz NOT NULL DEFAULT now(),
          reviewer_key uuid NOT NULL,
          reviewer_name text NOT NULL,
          decision text NOT NULL CHECK (decision IN ('accepted', 'refused')),
          note text
        )`.execute(db);
      await sql`CREATE INDEX price_sheet_reviews_sheet ON price_sheet_reviews (sheet_id, id)`.execute(
        db,
      );
      await sql`
        CREATE FUNCTION price_sheet_reviews_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'price_sheet_reviews is append-only: % is refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END
        $$`.execute(db);
      await sql`
        CREATE TRIGGER price_sheet_reviews_no_change
        BEFORE UPDATE OR DELETE ON price_sheet_reviews
        FOR EACH ROW EXECUTE FUNCTION price_sheet_reviews_append_only()`.execute(db);
      await sql`
        CREATE TRIGGER price_sheet_reviews_no_truncate
        BEFORE TRUNCATE ON price_sheet_reviews
        FOR EACH STATEMENT EXECUTE FUNCTION price_sheet_reviews_append_only()`.execute(db);
    },
  },
  // Browser sessions get a table of their own (they were `session:<hash>` rows of app_state):
  // a foreign key to the key they were opened with, and an index to drop the expired ones.
  // The sessions open at the upgrade move over, so nobody is signed out by it.
  '0008_sessions': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE sessions (
          token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
          key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
          csrf_token text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          expires_at timestamptz NOT NULL
        )`.execute(db);
      await sql`CREATE INDEX sessions_expires_at ON sessions (expires_at)`.execute(db);
      await sql`CREATE INDEX sessions_key_id ON sessions (key_id)`.execute(db);
      await sql`
        INSERT INTO sessions (token_hash, key_id, csrf_token, expires_at)
        SELECT substr(s.key, 9), k.id, s.value->>'csrfToken', (s.value->>'expiresAt')::timestamptz
        FROM app_state s JOIN api_keys k ON k.id::text = s.value->>'keyId'
        WHERE s.key ~ '^session:[0-9a-f]{64}$'`.execute(db);
      await sql`DELETE FROM app_state WHERE key LIKE 'session:%'`.execute(db);
    },
  },
  // When each key was last used, to within a minute (services/keys.ts): for the Keys page.
  '0009_key_last_used': {
    async up(db: Kysely<unknown>) {
      await sql`ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz`.execute(db);
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
