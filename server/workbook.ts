const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export { XLSX as XLSX_MEDIA_TYPE };

/**
 * A Content-Disposition naming the forecast and its quarter, ASCII-safe with the UTF-8 name
 * alongside.
 * @example contentDisposition('Banque Atlas — AI', '2026-Q3')
 * //=> `attachment; filename="costcast-banque-atlas-ai-2026-Q3.xlsx"; filename*=UTF-8''Banque%20Atlas%20%E2%80%94%20AI%202026-Q3.xlsx`
 */
export function contentDisposition(name: string, quarter: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  const file = `costcast-${ascii || 'forecast'}-${quarter}.xlsx`;
  const utf8 = encodeURIComponent(`${name} ${quarter}.xlsx`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${file}"; filename*=UTF-8''${utf8}`;
}
