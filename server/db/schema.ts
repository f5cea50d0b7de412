import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { SheetKind } from '../../models/freshness.ts';

/** Roles, weakest first: each can do what the previous ones can. */
export const ROLES = ['viewer', 'analyst', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const FORECAST_STATUSES = ['draft', 'in_review', 'approved', 'rejected'] as const;
export type ForecastStatus = (typeof FORECAST_STATUSES)[number];

/** A timestamp the database sets by default. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** A `json` column: written as JSON text, read back parsed (key order kept, unlike jsonb). */
type Json<T> = ColumnType<T, string, string>;

export interface ApiKeyTable {
  id: string;
  name: string;
  role: Role;
  /** sha256 of the whole key, hex. */
  key_hash: string;
  /** The first characters of the key, to tell keys apart in listings. */
  prefix: string;
  created_by: string | null;
  created_at: CreatedAt;
  revoked_at: Date | null;
  /** When the key was last verified, to within a minute (services/keys.ts). */
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PriceSheetTable {
  id: string;
  /** The as-of quarter the uploader gave, e.g. `2026-Q3`. */
  quarter: string;
  file_name: string;
  format: string;
  media_type: string | null;
  /** sha256 of the uploaded bytes, hex; an identical file is one version. */
  sha256: string;
  byte_size: number;
  /** Distinct ProviderName values of the rows, sorted. */
  providers: string[];
  row_count: number;
  skipped: number;
  notes: string[];
  uploaded_by: string;
  uploaded_at: CreatedAt;
  /** contract, provider or catalogue: which sheet wins a SKU (models/freshness.ts). */
  kind: Generated<SheetKind>;
  /** The uploader's key id; null on versions stored before migration 0007 (and the sample's). */
  uploaded_by_key: ColumnType<string | null, string | null | undefined, never>;
}

export const SHEET_REVIEW_DECISIONS = ['accepted', 'refused'] as const;
export type SheetReviewDecision = (typeof SHEET_REVIEW_DECISIONS)[number];

/** A review of a price-sheet version: append-only (a trigger refuses UPDATE, DELETE, TRUNCATE). */
export interface PriceSheetReviewTable {
  id: Generated<string>;
  sheet_id: string;
  at: CreatedAt;
  reviewer_key: string;
  reviewer_name: string;
  decision: SheetReviewDecision;
  note: string | null;
}

/**
 * The review state of a sheet a forecast used, pinned when the forecast was created: its
 * latest review then (`unreviewed`, with `by` and `at` null, when it had none).
 */
export interface SourceReview {
  readonly sheetId: string;
  /** The sheet's as-of quarter. */
  readonly quarter: string;
  readonly status: SheetReviewDecision | 'unreviewed';
  readonly by: string | null;
  /** ISO time of the review. */
  readonly at: string | null;
  /** The review's note, if any. */
  readonly note: string | null;
}

/**
 * Consecutive rows of a sheet, from its row `first_idx` (0-based): `rows` is a JSON array
 * with one array per row, as `encodeBlock` in server/db/row-blocks.ts writes it.
 */
export interface PriceRowBlockTable {
  sheet_id: string;
  first_idx: number;
  row_count: number;
  /** Written as UTF-8 bytes (sent in binary format), read as text. */
  rows: ColumnType<string, Uint8Array, never>;
}

/**
 * One price row of a sheet (the view over price_row_blocks), FOCUS columns in snake_case;
 * prices as NUMERIC text.
 */
export interface PriceRowTable {
  sheet_id: string;
  /** 0-based position in the sheet. */
  idx: number;
  /** 1-based line (CSV, JSON) or sheet row (XLSX) in the uploaded file. */
  line: number;
  provider_name: string;
  sku_id: string;
  pricing_unit: string;
  list_unit_price: string;
  pricing_currency: string;
  contracted_unit_price: string | null;
  service_category: string | null;
  service_name: string | null;
  region_id: string | null;
  pricing_category: string | null;
  description: string | null;
  x_source: string | null;
  x_as_of: string | null;
}

export interface AssumptionSetTable {
  id: string;
  name: string;
  version: number;
  /** The validated assumptions document (defaults applied). */
  body: Json<unknown>;
  created_by: string;
  created_at: CreatedAt;
}

/** The price rows a forecast used: a sheet, and the providers taken from it (all when null). */
export interface PriceSource {
  readonly sheetId: string;
  readonly providers: readonly string[] | null;
  /**
   * Set on the sources of an "as of" forecast, which run newest first: a row is left out when
   * an earlier source of the list prices the same provider, SKU and region. Absent on older
   * forecasts and on forecasts of named sheets, which take every row of the chosen providers.
   */
  readonly latest?: true;
}

export interface ForecastTable {
  id: string;
  name: string;
  /**
   * The forecast's as-of quarter (`forecastAsOfQuarter`): the `asOf` asked for, else the
   * quarter of generation (before migration 0003, the newest sheet's quarter).
   */
  quarter: string;
  assumption_set_id: string | null;
  /** Pinned inputs: everything needed to compute the same forecast again. */
  assumptions: Json<unknown>;
  scenarios: Json<unknown> | null;
  price_sources: Json<PriceSource[]>;
  draws: number;
  seed: number;
  generated_at: Date;
  engine_version: string;
  input_hash: string;
  /** The forecast JSON of docs/contracts.md. */
  result: Json<unknown>;
  status: Generated<ForecastStatus>;
  created_by: string;
  created_at: CreatedAt;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
  /** The staleness threshold used; null on forecasts made before it was pinned (then 1). */
  stale_after_quarters: number | null;
  /** The id of the key that created (or revised into) it; null on forecasts made before 0005. */
  created_by_key: ColumnType<string | null, string | null | undefined, never>;
  /** The rejected forecast this draft revises (at most one draft revises each). */
  revises: ColumnType<string | null, string | null | undefined, never>;
  /**
   * The review state of each sheet it used, in source order, pinned at creation; null on
   * forecasts made before migration 0007 (their sheets' review then is unknown).
   */
  source_reviews: ColumnType<SourceReview[] | null, string | null | undefined, never>;
}

export const FORECAST_ACTIONS = ['create', 'submit', 'approve', 'reject', 'revise'] as const;
export type ForecastAction = (typeof FORECAST_ACTIONS)[number];

/** A price sheet that makes approving a forecast need an acknowledgement, and why. */
export interface ApprovalBlocker {
  readonly sheetId: string;
  /** The sheet's as-of quarter, when known. */
  readonly quarter: string | null;
  readonly reason: 'stale' | 'unreviewed';
}

/** What an approver acknowledged: their reason and the blockers at that time. */
export interface Acknowledgement {
  readonly reason: string;
  readonly blockers: readonly ApprovalBlocker[];
}

/**
 * One review transition of a forecast, kept forever (a trigger refuses UPDATE, DELETE and
 * TRUNCATE). `backfilled` events were made by migration 0005 from rows stored before it and
 * have no key id.
 */
export interface ForecastEventTable {
  id: Generated<string>;
  forecast_id: string;
  at: ColumnType<Date, Date | undefined, never>;
  actor_key: string | null;
  actor_name: string;
  action: ForecastAction;
  from_status: ForecastStatus | null;
  to_status: ForecastStatus;
  note: string | null;
  acknowledgement: Json<Acknowledgement> | null;
  backfilled: Generated<boolean>;
}

export interface AppStateTable {
  key: string;
  value: Json<unknown>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A browser session (migration 0008); the token itself is never stored, only its sha256. */
export interface SessionTable {
  /** sha256 of the cookie's token, hex. */
  token_hash: string;
  key_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Date;
}

export const AUDIT_OUTCOMES = ['ok', 'refused', 'failed'] as const;
/** ok: 2xx; refused: the service said no (4xx: authentication, role, bad input, conflict); failed: 5xx. */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One event of the audit trail: append-only (a trigger refuses UPDATE, DELETE, TRUNCATE). */
export interface AuditLogTable {
  id: Generated<string>;
  /** Set by the database (a trigger), never by the caller. */
  at: ColumnType<Date, never, never>;
  actor_key_id: string | null;
  actor_name: string | null;
  /** `METHOD /route/:pattern` for HTTP requests, a short verb for the CLI (`cli keys create`). */
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: AuditOutcome;
  status_code: number | null;
  client_address: string | null;
  request_id: string | null;
  detail: Json<Record<string, unknown>> | null;
}

export interface Database {
  api_keys: ApiKeyTable;
  price_sheets: PriceSheetTable;
  price_row_blocks: PriceRowBlockTable;
  /** A view: read only. */
  price_rows: PriceRowTable;
  price_sheet_reviews: PriceSheetReviewTable;
  assumption_sets: AssumptionSetTable;
  forecasts: ForecastTable;
  forecast_events: ForecastEventTable;
  app_state: AppStateTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
}

export type ApiKeyRow = Selectable<ApiKeyTable>;
export type PriceSheetRow = Selectable<PriceSheetTable>;
export type PriceRowRow = Selectable<PriceRowTable>;
export type NewPriceSheet = Insertable<PriceSheetTable>;
export type PriceSheetReviewRow = Selectable<PriceSheetReviewTable>;
export type AssumptionSetRow = Selectable<AssumptionSetTable>;
export type ForecastRow = Selectable<ForecastTable>;
export type ForecastEventRow = Selectable<ForecastEventTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
