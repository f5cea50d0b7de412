// The Finance page: upload price sheets (their problems shown against the file's rows and
// columns), the diff against the provider's previous version, the versions with their
// freshness and review, reviews of sheets and forecasts (four eyes explained, the
// acknowledgement asked for when the API needs one), and the audit trail.
import './finance.css';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api, apiForm, type ForecastSummary, type Who } from '../api.ts';
import { count, date, type Locale, quarter, shortDate } from '../i18n.ts';
import { type FinanceKey, tf } from '../i18n-finance.ts';

interface Sheet {
  readonly id: string;
  readonly quarter: string;
  readonly fileName: string;
  readonly providers: readonly string[];
  readonly rowCount: number;
  readonly uploadedBy: string;
  /** The key that uploaded it (null before keys were recorded: compare `uploadedBy`). */
  readonly uploadedByKey?: string | null;
  readonly uploadedAt: string;
  readonly kind: 'contract' | 'provider' | 'catalogue';
  readonly ageQuarters: number;
  readonly stale: boolean;
  readonly review: {
    readonly status: 'accepted' | 'refused';
    readonly by: string;
    readonly at: string;
    readonly note: string | null;
  } | null;
}
interface Uploaded extends Sheet {
  readonly duplicate: boolean;
  readonly message?: string;
}
interface Issue {
  readonly row: number | null;
  readonly column: number | string | null;
  readonly field: string | null;
  readonly value: string | null;
  readonly message: string;
}
interface DiffSide {
  readonly ListUnitPrice: string;
  readonly ContractedUnitPrice: string | null;
  readonly PricingCurrency: string;
}
interface DiffEntry {
  readonly SkuId: string;
  readonly RegionId: string | null;
  readonly from: DiffSide | null;
  readonly to: DiffSide | null;
  readonly unitPriceChangePct: string | null;
}
interface Diff {
  readonly from: Sheet;
  readonly counts: Readonly<Record<'added' | 'removed' | 'changed' | 'unchanged', number>>;
  readonly added: readonly DiffEntry[];
  readonly removed: readonly DiffEntry[];
  readonly changed: readonly DiffEntry[];
}
interface Blocker {
  readonly sheetId: string;
  readonly quarter: string | null;
  readonly reason: 'stale' | 'unreviewed';
}
interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly actorName: string | null;
  readonly action: string;
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  readonly outcome: 'ok' | 'refused' | 'failed';
  readonly statusCode: number | null;
}

const TAGS: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };

/** A decimal string from the API (a price) written exactly in the reader's locale. */
const decimal = (locale: Locale, s: string) =>
  new Intl.NumberFormat(TAGS[locale], { maximumFractionDigits: 20 }).format(s as unknown as number);

/** A % change from the API (2 places, as text) in the reader's locale, signed. */
const percent = (locale: Locale, s: string) =>
  `${new Intl.NumberFormat(TAGS[locale], {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  }).format(s as unknown as number)}${locale === 'fr' ? '\u202f%' : '%'}`;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Whether the signed-in person is the one the four-eyes rule keeps from reviewing something:
 * its key made it (by the key's id, as the server checks; by name for what was stored before
 * keys were recorded). The page disables the buttons and says why; the server still decides.
 * @example isMine(who, 'k1', 'Youssef') //=> true when who.keyId is 'k1'
 */
export const isMine = (who: Who, key: string | null | undefined, name: string): boolean =>
  key ? key === who.keyId : name === who.name;

export function FinancePage(props: { readonly locale: Locale; readonly who: Who }) {
  const { locale } = props;
  const title = tf(locale, 'title');
  useEffect(() => {
    document.title = `${title} — costcast`;
  }, [title]);
  const [sheets, setSheets] = useState<readonly Sheet[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadSheets = useCallback(async () => {
    try {
      const page = await api<{ items: Sheet[] }>('GET', '/v1/price-sheets?limit=500');
      setSheets(page.items);
      return page.items;
    } catch (e) {
      setError(message(e));
      return null;
    }
  }, []);
  useEffect(() => {
    void loadSheets();
  }, [loadSheets]);
  // Every write tried on this page (stored or refused) is a new audit event: the trail reloads.
  const [writes, setWrites] = useState(0);
  const wrote = useCallback(() => setWrites((n) => n + 1), []);

  return (
    <section class="finance-page">
      <h1>{title}</h1>
      <p class="muted">{tf(locale, 'intro')}</p>
      {error !== null && (
        <p role="alert" class="error">
          {tf(locale, 'failed', { message: error })}
        </p>
      )}
      <Upload locale={locale} sheets={sheets ?? []} onUploaded={loadSheets} onWrite={wrote} />
      <Versions
        locale={locale}
        who={props.who}
        sheets={sheets}
        onReviewed={loadSheets}
        onWrite={wrote}
      />
      <ForecastReviews locale={locale} who={props.who} sheets={sheets ?? []} onWrite={wrote} />
      <Audit locale={locale} writes={writes} />
    </section>
  );
}

function Upload(props: {
  readonly locale: Locale;
  readonly sheets: readonly Sheet[];
  readonly onUploaded: () => Promise<readonly Sheet[] | null>;
  readonly onWrite: () => void;
}) {
  const { locale, sheets } = props;
  const [file, setFile] = useState<File | null>(null);
  const [q, setQ] = useState('');
  const [provider, setProvider] = useState('');
  const [kind, setKind] = useState('');
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [failure, setFailure] = useState<{
    file: string;
    message: string;
    issues: readonly Issue[];
    count: number;
  } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [diff, setDiff] = useState<Diff | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    setDone(null);
    setDiff(null);
    if (!file) {
      setFailure({ file: '', message: tf(locale, 'chooseFile'), issues: [], count: 0 });
      return;
    }
    const form = new FormData();
    form.append('quarter', q.trim());
    if (provider.trim()) form.append('provider', provider.trim());
    if (kind) form.append('kind', kind);
    form.append('file', file, file.name);
    setBusy(true);
    try {
      const sheet = await apiForm<Uploaded>('/v1/price-sheets', form);
      setDone(
        sheet.duplicate
          ? tf(locale, 'duplicate', { file: file.name, message: sheet.message ?? '' })
          : tf(locale, 'uploaded', { file: file.name, rows: count(locale, sheet.rowCount) }),
      );
      await props.onUploaded();
      // The diff against the newest earlier version of the same provider, when there is one.
      const previous = sheets
        .filter((s) => s.id !== sheet.id && s.providers.some((p) => sheet.providers.includes(p)))
        .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt))[0];
      if (previous && !sheet.duplicate)
        setDiff(
          await api<Diff>(
            'GET',
            `/v1/price-sheets/diff?from=${previous.id}&to=${sheet.id}&limit=50`,
          ),
        );
    } catch (err) {
      const issues = err instanceof ApiError ? ((err.details['issues'] as Issue[]) ?? []) : [];
      const n =
        err instanceof ApiError ? ((err.details['issueCount'] as number) ?? issues.length) : 0;
      setFailure({ file: file.name, message: message(err), issues, count: n });
    } finally {
      setBusy(false);
      props.onWrite();
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer?.files[0];
    if (dropped) setFile(dropped);
  };

  return (
    <section class="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{tf(locale, 'uploadTitle')}</h2>
      <form onSubmit={submit} class="upload-form">
        {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a mouse shortcut; the file input inside is the keyboard's way */}
        <div
          class={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="dropzone"
        >
          <p class="muted">{tf(locale, 'uploadHint')}</p>
          <label for="sheet-file">{tf(locale, 'file')}</label>{' '}
          <input
            id="sheet-file"
            type="file"
            accept=".csv,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
          {file && <p class="small">{tf(locale, 'chosen', { name: file.name })}</p>}
        </div>
        <div class="fields">
          <label>
            {tf(locale, 'quarter')}
            <input
              name="quarter"
              required
              pattern="\d{4}-Q[1-4]"
              placeholder={tf(locale, 'quarterHint')}
              value={q}
              onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <label>
            {tf(locale, 'provider')}
            <input
              name="provider"
              title={tf(locale, 'providerHint')}
              value={provider}
              onInput={(e) => setProvider((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <label>
            {tf(locale, 'kind')}
            <select
              name="kind"
              value={kind}
              onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)}
            >
              {(['', 'contract', 'provider', 'catalogue'] as const).map((k) => (
                <option key={k} value={k}>
                  {tf(locale, `kind.${k || 'auto'}` as FinanceKey)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            {tf(locale, busy ? 'uploading' : 'upload')}
          </button>
        </div>
      </form>
      {failure && (
        <div role="alert" class="upload-failure">
          <p class="error">
            {failure.file && failure.issues.length === 0
              ? tf(locale, 'uploadFailed', { file: failure.file, message: failure.message })
              : failure.message}
          </p>
          {failure.issues.length > 0 && (
            <table class="numbers issues" id="upload-issues">
              <caption>
                {tf(locale, 'issuesCaption', {
                  file: failure.file,
                  count: count(locale, failure.count),
                })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{tf(locale, 'row')}</th>
                  <th scope="col">{tf(locale, 'column')}</th>
                  <th scope="col" class="label">
                    {tf(locale, 'field')}
                  </th>
                  <th scope="col" class="label">
                    {tf(locale, 'value')}
                  </th>
                  <th scope="col" class="label">
                    {tf(locale, 'problem')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {failure.issues.map((i, n) => (
                  <tr key={n} data-row={i.row ?? ''}>
                    <td>{i.row ?? '—'}</td>
                    <td>{i.column ?? '—'}</td>
                    <td class="label">{i.field ?? '—'}</td>
                    <td class="label">{i.value ?? '—'}</td>
                    <td class="label">{i.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {done && (
        <p role="status" class="ok">
          {done}
        </p>
      )}
      {diff && <DiffView locale={locale} diff={diff} />}
    </section>
  );
}

function DiffView(props: { readonly locale: Locale; readonly diff: Diff }) {
  const { locale, diff } = props;
  const price = (s: DiffSide | null) =>
    s === null
      ? '—'
      : `${decimal(locale, s.ContractedUnitPrice ?? s.ListUnitPrice)}\u00a0${s.PricingCurrency}`;
  const entries = [...diff.changed, ...diff.added, ...diff.removed];
  return (
    <div class="diff" id="upload-diff">
      <h3>
        {tf(locale, 'diffTitle', {
          provider: diff.from.providers.join(', '),
          quarter: quarter(locale, diff.from.quarter),
        })}
      </h3>
      <p>
        {tf(locale, 'diffCounts', {
          added: count(locale, diff.counts.added),
          removed: count(locale, diff.counts.removed),
          changed: count(locale, diff.counts.changed),
          unchanged: count(locale, diff.counts.unchanged),
        })}
      </p>
      {entries.length > 0 && (
        <table class="numbers">
          <thead>
            <tr>
              <th scope="col">{tf(locale, 'sku')}</th>
              <th scope="col" class="label">
                {tf(locale, 'region')}
              </th>
              <th scope="col">{tf(locale, 'before')}</th>
              <th scope="col">{tf(locale, 'after')}</th>
              <th scope="col">{tf(locale, 'change')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((d) => (
              <tr key={`${d.SkuId}|${d.RegionId}`} data-sku={d.SkuId}>
                <th scope="row">{d.SkuId}</th>
                <td class="label">{d.RegionId ?? '—'}</td>
                <td>{price(d.from)}</td>
                <td>{price(d.to)}</td>
                <td>
                  {d.unitPriceChangePct === null ? '—' : percent(locale, d.unitPriceChangePct)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Versions(props: {
  readonly locale: Locale;
  readonly who: Who;
  readonly sheets: readonly Sheet[] | null;
  readonly onReviewed: () => Promise<unknown>;
  readonly onWrite: () => void;
}) {
  const { locale, sheets } = props;
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<{ id: string; text: string; bad: boolean } | null>(null);

  const review = async (s: Sheet, decision: 'accepted' | 'refused') => {
    const note = (notes[s.id] ?? '').trim();
    if (decision === 'refused' && !note) {
      setOutcome({ id: s.id, text: tf(locale, 'refuseNeedsNote'), bad: true });
      return;
    }
    try {
      await api('POST', `/v1/price-sheets/${s.id}/review`, {
        body: note ? { decision, note } : { decision },
      });
      setOutcome({ id: s.id, text: tf(locale, 'reviewed'), bad: false });
      await props.onReviewed();
    } catch (e) {
      setOutcome({
        id: s.id,
        text:
          e instanceof ApiError && e.code === 'four_eyes'
            ? tf(locale, 'sheetFourEyes')
            : tf(locale, 'failed', { message: message(e) }),
        bad: true,
      });
    } finally {
      props.onWrite();
    }
  };

  return (
    <section class="card" aria-labelledby="versions-title">
      <h2 id="versions-title">{tf(locale, 'versions')}</h2>
      {sheets !== null && sheets.length === 0 && <p>{tf(locale, 'noVersions')}</p>}
      {sheets?.some((s) => isMine(props.who, s.uploadedByKey, s.uploadedBy)) && (
        <p class="four-eyes-rule" id="sheet-rule">
          {tf(locale, 'sheetRule')}
        </p>
      )}
      {sheets !== null && sheets.length > 0 && (
        <div class="scroll">
          <table class="numbers versions" id="versions">
            <thead>
              <tr>
                <th scope="col">{tf(locale, 'file')}</th>
                <th scope="col" class="label">
                  {tf(locale, 'quarter')}
                </th>
                <th scope="col" class="label">
                  {tf(locale, 'kind')}
                </th>
                <th scope="col">{tf(locale, 'rows')}</th>
                <th scope="col">{tf(locale, 'age')}</th>
                <th scope="col" class="label">
                  {tf(locale, 'uploadedBy')}
                </th>
                <th scope="col" class="label">
                  {tf(locale, 'reviewState')}
                </th>
                <th scope="col" class="label">
                  {tf(locale, 'actions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {sheets.map((s) => {
                const mine = isMine(props.who, s.uploadedByKey, s.uploadedBy);
                return (
                  <tr key={s.id} data-sheet={s.id} data-file={s.fileName}>
                    <th scope="row">
                      {s.fileName}
                      <br />
                      <span class="muted providers">{s.providers.join(', ')}</span>
                    </th>
                    <td class="label">{quarter(locale, s.quarter)}</td>
                    <td class="label">{tf(locale, `kind.${s.kind}`)}</td>
                    <td>{count(locale, s.rowCount)}</td>
                    <td>
                      {tf(locale, s.ageQuarters === 1 ? 'ageQuarter' : 'ageQuarters', {
                        n: count(locale, s.ageQuarters),
                      })}{' '}
                      <span class={s.stale ? 'badge bad' : 'badge'}>
                        {tf(locale, s.stale ? 'stale' : 'fresh')}
                      </span>
                    </td>
                    <td class="label small">
                      {s.uploadedBy}
                      <br />
                      <span class="muted">{shortDate(locale, s.uploadedAt)}</span>
                    </td>
                    <td class="label review-state" title={s.review?.note ?? undefined}>
                      {s.review === null
                        ? tf(locale, 'review.none')
                        : tf(locale, `review.${s.review.status}`, { by: s.review.by })}
                    </td>
                    <td class="label actions">
                      <input
                        aria-label={tf(locale, 'noteFor', { name: s.fileName })}
                        placeholder={tf(locale, 'note')}
                        disabled={mine}
                        value={notes[s.id] ?? ''}
                        onInput={(e) =>
                          setNotes({
                            ...notes,
                            [s.id]: (e.currentTarget as HTMLInputElement).value,
                          })
                        }
                      />
                      <button
                        type="button"
                        disabled={mine}
                        aria-describedby={mine ? `mine-${s.id} sheet-rule` : undefined}
                        onClick={() => review(s, 'accepted')}
                      >
                        {tf(locale, 'accept')}
                      </button>
                      <button
                        type="button"
                        disabled={mine}
                        aria-describedby={mine ? `mine-${s.id} sheet-rule` : undefined}
                        onClick={() => review(s, 'refused')}
                      >
                        {tf(locale, 'refuse')}
                      </button>
                      {mine && (
                        <p class="four-eyes" id={`mine-${s.id}`}>
                          {tf(locale, 'sheetMine')}
                        </p>
                      )}
                      {outcome?.id === s.id && (
                        <p
                          role={outcome.bad ? 'alert' : 'status'}
                          class={outcome.bad ? 'error' : 'ok'}
                        >
                          {outcome.text}
                        </p>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ForecastReviews(props: {
  readonly locale: Locale;
  readonly who: Who;
  readonly sheets: readonly Sheet[];
  readonly onWrite: () => void;
}) {
  const { locale } = props;
  // A blocker names its sheet by file name when the page has it, else by its id's start.
  const sheetName = (id: string) =>
    props.sheets.find((s) => s.id === id)?.fileName ?? id.slice(0, 8);
  const [items, setItems] = useState<readonly ForecastSummary[] | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [blockers, setBlockers] = useState<Record<string, readonly Blocker[]>>({});
  const [outcome, setOutcome] = useState<{ id: string; text: string; bad: boolean } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const page = await api<{ items: ForecastSummary[] }>(
        'GET',
        '/v1/forecasts?status=in_review&limit=500',
      );
      setItems(page.items);
    } catch (e) {
      setOutcome({ id: '', text: tf(locale, 'failed', { message: message(e) }), bad: true });
    }
  }, [locale]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (f: ForecastSummary, action: 'approve' | 'reject', withAck = false) => {
    const note = (notes[f.id] ?? '').trim();
    const reason = (reasons[f.id] ?? '').trim();
    if (action === 'reject' && !note) {
      setOutcome({ id: f.id, text: tf(locale, 'rejectNeedsNote'), bad: true });
      return;
    }
    if (withAck && !reason) {
      setOutcome({ id: f.id, text: tf(locale, 'ackNeedsReason'), bad: true });
      return;
    }
    const body: Record<string, unknown> = {};
    if (note) body['note'] = note;
    if (withAck) body['acknowledge'] = { reason };
    try {
      await api('POST', `/v1/forecasts/${f.id}/${action}`, { body });
      setOutcome(null);
      setDone(tf(locale, action === 'approve' ? 'approved' : 'rejected', { name: f.name }));
      await load();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'acknowledgement_required') {
        setBlockers({ ...blockers, [f.id]: (e.details['blockers'] as Blocker[]) ?? [] });
        setOutcome(null);
        return;
      }
      setOutcome({
        id: f.id,
        text:
          e instanceof ApiError && e.code === 'four_eyes'
            ? tf(locale, 'forecastFourEyes')
            : tf(locale, 'failed', { message: message(e) }),
        bad: true,
      });
    } finally {
      props.onWrite();
    }
  };

  return (
    <section class="card" aria-labelledby="forecasts-title">
      <h2 id="forecasts-title">{tf(locale, 'forecastsTitle')}</h2>
      {done && (
        <p role="status" class="ok">
          {done}
        </p>
      )}
      {outcome?.id === '' && (
        <p role="alert" class="error">
          {outcome.text}
        </p>
      )}
      {items !== null && items.length === 0 && <p>{tf(locale, 'noForecasts')}</p>}
      {items?.map((f) => {
        const mine = isMine(props.who, f.createdByKey, f.createdBy);
        return (
          <article key={f.id} class="forecast-review" data-forecast={f.id}>
            <h3>{f.name}</h3>
            <p class="muted">
              {quarter(locale, f.quarter)} · {tf(locale, 'preparedBy')} {f.createdBy},{' '}
              {date(locale, f.createdAt)}
            </p>
            <div class="fields">
              <label>
                {tf(locale, 'note')}
                <input
                  value={notes[f.id] ?? ''}
                  disabled={mine}
                  onInput={(e) =>
                    setNotes({ ...notes, [f.id]: (e.currentTarget as HTMLInputElement).value })
                  }
                />
              </label>
              <button
                type="button"
                disabled={mine}
                aria-describedby={mine ? `mine-${f.id}` : undefined}
                onClick={() => act(f, 'approve')}
              >
                {tf(locale, 'approve')}
              </button>
              <button
                type="button"
                disabled={mine}
                aria-describedby={mine ? `mine-${f.id}` : undefined}
                onClick={() => act(f, 'reject')}
              >
                {tf(locale, 'reject')}
              </button>
              {mine && (
                <p class="four-eyes" id={`mine-${f.id}`}>
                  {tf(locale, 'forecastFourEyes')}
                </p>
              )}
            </div>
            {blockers[f.id] && (
              <fieldset class="ack">
                <legend>{tf(locale, 'ackTitle')}</legend>
                <p>{tf(locale, 'ackIntro')}</p>
                <ul>
                  {blockers[f.id]!.map((b) => (
                    <li key={`${b.sheetId}-${b.reason}`}>
                      {tf(locale, `blocker.${b.reason}`, {
                        id: sheetName(b.sheetId),
                        quarter: b.quarter ? quarter(locale, b.quarter) : '—',
                      })}
                    </li>
                  ))}
                </ul>
                <label>
                  {tf(locale, 'ackReason')}
                  <textarea
                    rows={2}
                    value={reasons[f.id] ?? ''}
                    onInput={(e) =>
                      setReasons({
                        ...reasons,
                        [f.id]: (e.currentTarget as HTMLTextAreaElement).value,
                      })
                    }
                  />
                </label>
                <button type="button" onClick={() => act(f, 'approve', true)}>
                  {tf(locale, 'ackApprove')}
                </button>
              </fieldset>
            )}
            {outcome?.id === f.id && (
              <p role="alert" class="error">
                {outcome.text}
              </p>
            )}
          </article>
        );
      })}
    </section>
  );
}

function Audit(props: { readonly locale: Locale; readonly writes: number }) {
  const { locale, writes } = props;
  const [action, setAction] = useState('');
  const [outcome, setOutcome] = useState('');
  const [events, setEvents] = useState<readonly AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before: string | null) => {
      const q = new URLSearchParams({ limit: '25' });
      if (action.trim()) q.set('action', action.trim());
      if (outcome) q.set('outcome', outcome);
      if (before) q.set('before', before);
      try {
        const page = await api<{ items: AuditEvent[]; nextBefore: string | null }>(
          'GET',
          `/v1/audit?${q}`,
        );
        setError(null);
        setEvents((old) => (before ? [...old, ...page.items] : page.items));
        setNext(page.nextBefore);
      } catch (e) {
        setError(tf(locale, 'failed', { message: message(e) }));
      }
    },
    [action, outcome, locale],
  );
  // On opening, and after each write tried on the page (the filter kept).
  useEffect(() => {
    void load(null);
  }, [writes]);

  return (
    <section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">{tf(locale, 'auditTitle')}</h2>
      <form
        class="fields"
        onSubmit={(e) => {
          e.preventDefault();
          void load(null);
        }}
      >
        <label>
          {tf(locale, 'auditAction')}
          <input
            name="action"
            size={36}
            placeholder={tf(locale, 'auditActionHint')}
            value={action}
            onInput={(e) => setAction((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          {tf(locale, 'outcome')}
          <select
            name="outcome"
            value={outcome}
            onChange={(e) => setOutcome((e.currentTarget as HTMLSelectElement).value)}
          >
            {(['', 'ok', 'refused', 'failed'] as const).map((o) => (
              <option key={o} value={o}>
                {tf(locale, `outcome.${o || 'all'}` as FinanceKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{tf(locale, 'filter')}</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {events.length === 0 && !error && <p>{tf(locale, 'noEvents')}</p>}
      {events.length > 0 && (
        <div class="scroll">
          <table class="numbers audit" id="audit">
            <thead>
              <tr>
                <th scope="col">{tf(locale, 'when')}</th>
                <th scope="col" class="label">
                  {tf(locale, 'who')}
                </th>
                <th scope="col" class="label">
                  {tf(locale, 'auditAction')}
                </th>
                <th scope="col" class="label">
                  {tf(locale, 'resource')}
                </th>
                <th scope="col" class="label">
                  {tf(locale, 'outcome')}
                </th>
                <th scope="col">{tf(locale, 'status')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((ev) => (
                <tr key={ev.id} data-outcome={ev.outcome}>
                  <th scope="row" class="small">
                    {date(locale, ev.at)}
                  </th>
                  <td class="label">{ev.actorName ?? '—'}</td>
                  <td class="label mono">{ev.action}</td>
                  <td class="label small">
                    {ev.resourceType ?? ''} {ev.resourceId ? ev.resourceId.slice(0, 8) : ''}
                  </td>
                  <td class="label">
                    <span class={ev.outcome === 'ok' ? 'badge' : 'badge bad'}>
                      {tf(locale, `outcome.${ev.outcome}`)}
                    </span>
                  </td>
                  <td>{ev.statusCode ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" onClick={() => load(next)}>
          {tf(locale, 'older')}
        </button>
      )}
    </section>
  );
}
