// What the workbook says about a forecast's review: the status banner of the Summary, the
// review rows of About and the status in every printed page's header, in English and French.
// The service keeps every review action of a forecast (forecast_events); the workbook shows
// the latest, and says where the whole history is.
import type { Locale } from './labels.ts';
import type { PlainStyle } from './styles.ts';

export type ReviewStatus = 'draft' | 'in_review' | 'approved' | 'rejected';

/**
 * What an approver acknowledged when approving a forecast whose price sheets were stale or
 * unreviewed: their reason, and those sheets (id, as-of quarter, why) at that time.
 */
export interface Acknowledged {
  readonly reason: string;
  readonly blockers: readonly {
    readonly sheetId: string;
    readonly quarter: string | null;
    readonly reason: 'stale' | 'unreviewed';
  }[];
}

/**
 * A stored forecast's review, as plain data (it crosses to a compute thread): its status,
 * who created it and when, and the latest review action (who, when, note). Times are ISO.
 */
export interface ReviewState {
  readonly status: ReviewStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
  readonly note: string | null;
  /** Set on an approval that needed an acknowledgement (absent otherwise). */
  readonly acknowledgement?: Acknowledged | undefined;
}

/** A review state, or `null` for a workbook written from files (the CLI): not reviewed. */
export type Review = ReviewState | null;

/**
 * A time as the workbook shows it, in UTC.
 * @example timeText('2026-11-22T09:30:12.345Z') //=> "2026-11-22 09:30 UTC"
 */
export const timeText = (iso: string): string => {
  const d = new Date(iso).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
};

interface Words {
  /** The status in one word, as About's table and the file name's text say it. */
  readonly status: Record<ReviewStatus | 'none', string>;
  /** The Summary's banner. */
  readonly banner: (r: Review) => string;
  readonly note: (text: string) => string;
  readonly section: string;
  readonly statusRow: string;
  readonly created: string;
  readonly submitted: string;
  readonly approved: string;
  readonly rejected: string;
  readonly noteRow: string;
  readonly byAt: (by: string, at: string) => string;
  readonly cli: string;
  readonly history: string;
  /** The acknowledgement's row: its label in About, and its text (blockers already worded). */
  readonly acknowledgedRow: string;
  readonly acknowledged: (blockers: readonly string[], reason: string) => string;
  /** One blocker: the sheet's label, its as-of quarter as the workbook writes it, why. */
  readonly blocker: (sheet: string, quarter: string | null, why: 'stale' | 'unreviewed') => string;
}

const en: Words = {
  status: {
    draft: 'Draft',
    in_review: 'In review',
    approved: 'Approved',
    rejected: 'Rejected',
    none: 'Not reviewed',
  },
  banner: (r) => {
    if (!r)
      return 'NOT REVIEWED — written by the costcast CLI from files; never submitted for review';
    const at = r.reviewedAt ? timeText(r.reviewedAt) : '';
    switch (r.status) {
      case 'draft':
        return `DRAFT — not submitted for review (created by ${r.createdBy} on ${timeText(r.createdAt)})`;
      case 'in_review':
        return `IN REVIEW — submitted by ${r.reviewedBy} on ${at}; not approved yet`;
      case 'approved':
        return `APPROVED by ${r.reviewedBy} on ${at}`;
      case 'rejected':
        return `REJECTED by ${r.reviewedBy} on ${at}`;
    }
  },
  note: (text) => `Note: ${text}`,
  section: 'Review',
  statusRow: 'Status',
  created: 'Created',
  submitted: 'Submitted for review',
  approved: 'Approved',
  rejected: 'Rejected',
  noteRow: 'Note',
  byAt: (by, at) => `by ${by} on ${at}`,
  cli: 'Written by the costcast CLI from files: not a stored forecast, never reviewed. Only a forecast stored by the service can be submitted, approved or rejected.',
  history:
    'This workbook shows the latest review action; the service keeps every one (who, when, from, to, note), listed by GET /v1/forecasts/<id>/history.',
  acknowledgedRow: 'Acknowledged',
  acknowledged: (blockers, reason) =>
    `APPROVED WITH AN ACKNOWLEDGEMENT — ${blockers.join('; ')}. Reason given: ${reason}`,
  blocker: (sheet, quarter, why) =>
    `${sheet}${quarter ? ` (as of ${quarter})` : ''} ${why === 'stale' ? 'was stale' : 'was not reviewed'}`,
};

const fr: Words = {
  status: {
    draft: 'Brouillon',
    in_review: 'En revue',
    approved: 'Approuvée',
    rejected: 'Rejetée',
    none: 'Non revue',
  },
  banner: (r) => {
    if (!r)
      return 'NON REVUE — écrite par la CLI costcast à partir de fichiers ; jamais soumise à validation';
    const at = r.reviewedAt ? timeText(r.reviewedAt) : '';
    switch (r.status) {
      case 'draft':
        return `BROUILLON — non soumise à validation (créée par ${r.createdBy} le ${timeText(r.createdAt)})`;
      case 'in_review':
        return `EN REVUE — soumise par ${r.reviewedBy} le ${at} ; pas encore approuvée`;
      case 'approved':
        return `APPROUVÉE par ${r.reviewedBy} le ${at}`;
      case 'rejected':
        return `REJETÉE par ${r.reviewedBy} le ${at}`;
    }
  },
  note: (text) => `Note : ${text}`,
  section: 'Validation',
  statusRow: 'Statut',
  created: 'Créée',
  submitted: 'Soumise à validation',
  approved: 'Approuvée',
  rejected: 'Rejetée',
  noteRow: 'Note',
  byAt: (by, at) => `par ${by} le ${at}`,
  cli: 'Écrite par la CLI costcast à partir de fichiers : ce n’est pas une prévision enregistrée, elle n’a jamais été revue. Seule une prévision enregistrée par le service peut être soumise, approuvée ou rejetée.',
  history:
    'Ce classeur montre la dernière action de validation ; le service les conserve toutes (qui, quand, de, à, note), listées par GET /v1/forecasts/<id>/history.',
  acknowledgedRow: 'Prise en compte',
  acknowledged: (blockers, reason) =>
    `APPROUVÉE EN CONNAISSANCE DE CAUSE — ${blockers.join(' ; ')}. Motif donné : ${reason}`,
  blocker: (sheet, quarter, why) =>
    `${sheet}${quarter ? ` (au ${quarter})` : ''} ${why === 'stale' ? 'était périmée' : 'n’avait pas été revue'}`,
};

export const REVIEW_WORDS: Readonly<Record<Locale, Words>> = { en, fr };

/** The banner's style: green approved, red rejected, amber draft or in review, grey none. */
export function bannerStyle(r: Review): PlainStyle {
  if (!r) return 'statusNone';
  if (r.status === 'approved') return 'statusApproved';
  if (r.status === 'rejected') return 'statusRejected';
  return 'statusPending';
}

/** The status in one word, e.g. "Approved", "Non revue". */
export const statusWord = (locale: Locale, r: Review): string =>
  REVIEW_WORDS[locale].status[r ? r.status : 'none'];

/**
 * About's review rows (label, text): the status, the creation, the latest review action and
 * its note — what the database records, nothing more.
 */
export function reviewRows(locale: Locale, r: Review): [string, string][] {
  const W = REVIEW_WORDS[locale];
  if (!r) return [[W.statusRow, W.status.none]];
  const rows: [string, string][] = [
    [W.statusRow, W.status[r.status]],
    [W.created, W.byAt(r.createdBy, timeText(r.createdAt))],
  ];
  if (r.status !== 'draft' && r.reviewedBy !== null && r.reviewedAt !== null) {
    const action =
      r.status === 'in_review' ? W.submitted : r.status === 'approved' ? W.approved : W.rejected;
    rows.push([action, W.byAt(r.reviewedBy, timeText(r.reviewedAt))]);
  }
  if (r.note) rows.push([W.noteRow, r.note]);
  if (r.acknowledgement) rows.push([W.acknowledgedRow, r.acknowledgement.reason]);
  return rows;
}
