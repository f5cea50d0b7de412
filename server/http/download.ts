import { quarterText } from '../../templates/sheets/common.ts';
import type { ForecastStatus } from '../db/schema.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export { XLSX as XLSX_MEDIA_TYPE };

type Locale = 'en' | 'fr';

/**
 * The status as a download's file name says it, in the workbook's language: the ASCII form
 * (for `filename`) and the written one (for `filename*`).
 */
const STATUS: Record<Locale, Record<ForecastStatus, readonly [ascii: string, text: string]>> = {
  en: {
    draft: ['draft', 'draft'],
    in_review: ['in-review', 'in review'],
    approved: ['approved', 'approved'],
    rejected: ['rejected', 'rejected'],
  },
  fr: {
    draft: ['brouillon', 'brouillon'],
    in_review: ['en-revue', 'en revue'],
    approved: ['approuvee', 'approuvée'],
    rejected: ['rejetee', 'rejetée'],
  },
};

/** Lower-case ASCII words joined by `-`: accents dropped, anything else a separator. */
const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * A Content-Disposition naming the forecast, its as-of quarter and its review status in the
 * workbook's language: an ASCII-safe `filename` and the written name as UTF-8 in
 * `filename*` (RFC 5987).
 * @example contentDisposition('Banque Atlas — AI', '2026-Q3', 'approved', 'fr')
 * //=> `attachment; filename="costcast-banque-atlas-ai-T3-2026-approuvee.xlsx"; filename*=UTF-8''Banque%20Atlas%20%E2%80%94%20AI%20T3%202026%20%28approuv%C3%A9e%29.xlsx`
 */
export function contentDisposition(
  name: string,
  quarter: string,
  status: ForecastStatus,
  locale: Locale,
): string {
  const q = quarterText(quarter, locale);
  const [asciiStatus, textStatus] = STATUS[locale][status];
  const file = `costcast-${slug(name).slice(0, 80).replace(/-+$/, '') || 'forecast'}-${q.replace(' ', '-')}-${asciiStatus}.xlsx`;
  const utf8 = encodeURIComponent(`${name} ${q} (${textStatus}).xlsx`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${file}"; filename*=UTF-8''${utf8}`;
}
