import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type ForecastJson, type ForecastSummary } from '../api.ts';
import { CostChart } from '../components/CostChart.tsx';
import { type Locale, money, quarter, scenarioName, t } from '../i18n.ts';
import { type AnalystKey, ta } from './AnalystText.ts';
import { AssumptionsEditor } from './AssumptionsEditor.tsx';
import { te } from './EditorText.ts';

interface SetSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
}

/** The panel's values: whole numbers, percentages as the reader types them. */
interface Panel {
  readonly delay: number;
  readonly decline: number;
  readonly premium: number;
  readonly availability: number;
  readonly draws: number;
}

/** The default scenarios' own values (models/scenarios.ts, docs/model.md), the panel's start. */
const START: Panel = { delay: 4, decline: 10, premium: 15, availability: 85, draws: 500 };

/** A whole percentage as the API's decimal string: 15 → "0.15", 100 → "1.00", 5 → "0.05". */
const rate = (percent: number): string => {
  const whole = Math.trunc(percent / 100);
  const cents = String(Math.abs(percent % 100)).padStart(2, '0');
  return `${whole}.${cents}`;
};

/**
 * The scenarios file of a what-if: the two default scenarios (models/scenarios.ts: on time, and
 * delayed with a premium, partial availability and a 20 % fallback premium), the panel's delay,
 * premium and availability on the delayed one and its LLM-inference decline on both. The
 * e2e test checks that the untouched panel gives the API's own defaults.
 */
export function scenariosOf(p: Panel) {
  const decline = {
    'llm-inference': rate(p.decline),
    'gpu-compute': '0.05',
    storage: '0.01',
    network: '0',
    other: '0',
  };
  return {
    scenarios: [
      {
        id: 'on-time',
        name: 'Stargate on time',
        delayQuarters: 0,
        priceDeclinePerQuarter: decline,
        shortagePremium: '0',
        availability: '1',
        fallbackPremium: '0',
      },
      {
        id: 'delayed',
        name: 'Stargate delayed',
        delayQuarters: p.delay,
        priceDeclinePerQuarter: decline,
        shortagePremium: rate(p.premium),
        availability: rate(p.availability),
        fallbackPremium: '0.20',
      },
    ],
  };
}

/** One labelled slider with its value beside it; arrows and Page Up/Down move it. */
function Slider(props: {
  readonly id: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly value: number;
  readonly onInput: (v: number) => void;
}) {
  const { id, label, min, max, value, onInput } = props;
  return (
    <div class="slider">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={1}
        value={value}
        onInput={(e) => onInput(Number((e.target as HTMLInputElement).value))}
      />
      <output for={id} aria-hidden="true">
        {value}
      </output>
    </div>
  );
}

/**
 * The analyst's page: a what-if panel on a saved assumption set and the prices of a quarter,
 * recomputed by POST /v1/what-if as values change (debounced, a stale request cancelled),
 * with the chart and the totals the service answered; then save it as a draft forecast and
 * submit it for review. The page adds nothing up: every number shown is the API's.
 */
export function AnalystPage(props: { readonly locale: Locale }) {
  const { locale } = props;
  const s = (key: AnalystKey, vars?: Readonly<Record<string, string | number>>) =>
    ta(locale, key, vars);
  const [sets, setSets] = useState<SetSummary[] | null>(null);
  const [quarters, setQuarters] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [setId, setSetId] = useState('');
  const [asOf, setAsOf] = useState('');
  const [panel, setPanel] = useState<Panel>(START);
  const [result, setResult] = useState<ForecastJson | null>(null);
  const [busy, setBusy] = useState(false);
  const [whatIfError, setWhatIfError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<ForecastSummary | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [acting, setActing] = useState(false);
  const [uploadName, setUploadName] = useState('');
  const [uploadState, setUploadState] = useState<
    | { readonly ok: true; readonly set: SetSummary }
    | { readonly ok: false; readonly message: string; readonly issues: readonly string[] }
    | null
  >(null);
  // The assumptions editor: closed, a new set, or the selected set's next version.
  const [editing, setEditing] = useState<{ readonly setId: string | null } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const section = useRef<HTMLElement>(null);
  const seq = useRef(0);

  useEffect(() => {
    document.title = `${s('title')} — costcast`;
  }, [locale]);

  useEffect(() => {
    Promise.all([
      api<{ items: SetSummary[] }>('GET', '/v1/assumptions?limit=100'),
      api<{ items: { asOf: string }[] }>('GET', '/v1/price-sheets?limit=100'),
    ])
      .then(([a, p]) => {
        setSets(a.items);
        setSetId(a.items[0]?.id ?? '');
        const qs = [...new Set(p.items.map((i) => i.asOf))].sort().reverse();
        setQuarters(qs);
        setAsOf(qs[0] ?? '');
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const body =
    setId && asOf
      ? { assumptionsId: setId, asOf, scenarios: scenariosOf(panel), draws: panel.draws }
      : null;
  const bodyKey = JSON.stringify(body);

  // Recompute 300 ms after the last change; a newer change cancels the request under way.
  useEffect(() => {
    if (body === null) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      const n = ++seq.current;
      setBusy(true);
      api<ForecastJson>('POST', '/v1/what-if', { body, signal: abort.signal })
        .then((f) => {
          if (n !== seq.current) return;
          setWhatIfError(null);
          setResult(f);
          setBusy(false);
        })
        .catch((e: Error) => {
          if (abort.signal.aborted || n !== seq.current) return;
          setWhatIfError(e.message);
          setBusy(false);
        });
    }, 300);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [bodyKey]);

  // After the chart (a child, whose effects run first) is redrawn: which request it shows.
  useEffect(() => {
    if (result && section.current) section.current.dataset['drawn'] = String(seq.current);
  }, [result]);

  const set = (key: keyof Panel) => (v: number) => setPanel((p) => ({ ...p, [key]: v }));

  const act = async (run: () => Promise<ForecastSummary>) => {
    setActing(true);
    setActionError(null);
    try {
      setSaved(await run());
    } catch (e) {
      setActionError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    } finally {
      setActing(false);
    }
  };
  const saveDraft = () =>
    act(() =>
      api<ForecastSummary>('POST', '/v1/forecasts', {
        body: { ...body, ...(name.trim() ? { name: name.trim() } : {}) },
      }),
    );
  const submit = () =>
    act(() =>
      api<ForecastSummary>('POST', `/v1/forecasts/${encodeURIComponent(saved?.id ?? '')}/submit`),
    );

  // A workbook goes as multipart `file`; a 422 lists its problems at their cells.
  const upload = async () => {
    const file = fileInput.current?.files?.[0];
    if (!file) return;
    const form = new FormData();
    if (uploadName.trim()) form.append('name', uploadName.trim());
    form.append('file', file, file.name);
    setActing(true);
    try {
      const created = await api<SetSummary>('POST', '/v1/assumptions', { form });
      setSets((list) => [created, ...(list ?? [])]);
      setSetId(created.id);
      setUploadState({ ok: true, set: created });
    } catch (e) {
      setUploadState({
        ok: false,
        message: (e as Error).message,
        issues: e instanceof ApiError ? e.issues : [],
      });
    } finally {
      setActing(false);
    }
  };

  if (error !== null)
    return (
      <p role="alert" class="error">
        {t(locale, 'failed', { message: error })}
      </p>
    );
  if (sets === null || quarters === null) return <p>{t(locale, 'loading')}</p>;

  const mc = result && result.monteCarlo.draws > 0 ? result.monteCarlo.scenarios : [];
  return (
    <section
      class="analyst"
      aria-labelledby="analyst-title"
      ref={section}
      data-state={busy ? 'computing' : 'ready'}
    >
      <h1 id="analyst-title">{s('title')}</h1>
      <p class="muted">{s('intro')}</p>
      {editing === null ? (
        <p class="open-editor">
          <button type="button" id="ed-new" onClick={() => setEditing({ setId: null })}>
            {te(locale, 'newSet')}
          </button>
          {setId && (
            <button
              type="button"
              class="secondary"
              id="ed-edit"
              onClick={() => setEditing({ setId })}
            >
              {te(locale, 'editSet')}
            </button>
          )}
        </p>
      ) : (
        <AssumptionsEditor
          key={editing.setId ?? 'new'}
          locale={locale}
          asOf={asOf}
          setId={editing.setId}
          onSaved={(created) => {
            setSets((list) => [created, ...(list ?? []).filter((a) => a.id !== created.id)]);
            setSetId(created.id);
          }}
          onClose={() => setEditing(null)}
        />
      )}
      {sets.length === 0 && <p>{s('noSets')}</p>}
      {quarters.length === 0 && <p>{s('noPrices')}</p>}
      <div class="pickers">
        <label>
          {s('set')}
          <select
            id="wi-set"
            value={setId}
            onChange={(e) => setSetId((e.target as HTMLSelectElement).value)}
          >
            {sets.map((a) => (
              <option key={a.id} value={a.id}>
                {s('setOption', { name: a.name, version: a.version })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s('asOf')}
          <select
            id="wi-asof"
            value={asOf}
            onChange={(e) => setAsOf((e.target as HTMLSelectElement).value)}
          >
            {quarters.map((q) => (
              <option key={q} value={q}>
                {quarter(locale, q)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="whatif">
        <fieldset class="panel">
          <legend>{s('parameters')}</legend>
          <Slider
            id="wi-delay"
            label={s('delay')}
            min={0}
            max={12}
            value={panel.delay}
            onInput={set('delay')}
          />
          <Slider
            id="wi-decline"
            label={s('decline')}
            min={0}
            max={30}
            value={panel.decline}
            onInput={set('decline')}
          />
          <Slider
            id="wi-premium"
            label={s('premium')}
            min={0}
            max={100}
            value={panel.premium}
            onInput={set('premium')}
          />
          <Slider
            id="wi-availability"
            label={s('availability')}
            min={0}
            max={100}
            value={panel.availability}
            onInput={set('availability')}
          />
          <div class="slider">
            <label for="wi-draws">{s('draws')}</label>
            <select
              id="wi-draws"
              value={String(panel.draws)}
              onChange={(e) => set('draws')(Number((e.target as HTMLSelectElement).value))}
            >
              <option value="0">{s('noDraws')}</option>
              <option value="500">500</option>
              <option value="2000">2 000</option>
            </select>
          </div>
          <p class="small muted">{s('parametersNote')}</p>
        </fieldset>
        <div class="result">
          <p class="small muted" aria-live="polite">
            {busy ? s('computing') : result ? s('computed') : ''}
          </p>
          {whatIfError !== null && (
            <p role="alert" class="error">
              {s('whatIfFailed', { message: whatIfError })}
            </p>
          )}
          {result && (
            <>
              <table class="numbers" id="whatif-totals">
                <caption>{s('totals')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t(locale, 'scenario')}</th>
                    <th scope="col">{t(locale, 'total')}</th>
                    {mc.length > 0 && (
                      <>
                        <th scope="col">{t(locale, 'p10')}</th>
                        <th scope="col">{t(locale, 'p90')}</th>
                      </>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {result.scenarios.map((sc) => {
                    const spread = mc.find((m) => m.id === sc.id)?.total;
                    return (
                      <tr key={sc.id} data-scenario={sc.id}>
                        <th scope="row">{scenarioName(locale, sc.id, sc.name)}</th>
                        <td>{money(locale, sc.total, result.currency)}</td>
                        {mc.length > 0 && (
                          <>
                            <td>{spread ? money(locale, spread.p10, result.currency) : ''}</td>
                            <td>{spread ? money(locale, spread.p90, result.currency) : ''}</td>
                          </>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <CostChart locale={locale} forecast={result} />
            </>
          )}
        </div>
      </div>
      <form
        class="save"
        onSubmit={(e) => {
          e.preventDefault();
          void saveDraft();
        }}
      >
        <label>
          {s('draftName')}
          <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={body === null || acting}>
          {s('saveDraft')}
        </button>
        {saved && (
          <>
            <button
              type="button"
              disabled={saved.status !== 'draft' || acting}
              onClick={() => void submit()}
            >
              {s('submit')}
            </button>
            <p id="saved" role="status" data-id={saved.id} data-status={saved.status}>
              {s('saved', { id: saved.id, status: s(`status.${saved.status}`) })}{' '}
              <a href={`/v1/forecasts/${encodeURIComponent(saved.id)}/workbook?locale=${locale}`}>
                {s('workbook')}
              </a>
            </p>
          </>
        )}
        {actionError !== null && (
          <p role="alert" class="error">
            {s('actionFailed', { message: actionError })}
          </p>
        )}
      </form>
      <form
        class="save upload"
        onSubmit={(e) => {
          e.preventDefault();
          void upload();
        }}
      >
        <h2>{s('upload')}</h2>
        <label>
          {s('uploadFile')}
          <input
            ref={fileInput}
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          />
        </label>
        <label>
          {s('uploadName')}
          <input
            value={uploadName}
            onInput={(e) => setUploadName((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={acting}>
          {s('uploadButton')}
        </button>
        {uploadState?.ok === true && (
          <p role="status">
            {s('uploaded', { name: uploadState.set.name, version: uploadState.set.version })}
          </p>
        )}
        {uploadState?.ok === false && (
          <div role="alert" class="error" id="upload-error">
            <p>{s('uploadFailed', { message: uploadState.message })}</p>
            {uploadState.issues.length > 0 && (
              <ul>
                {uploadState.issues.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
    </section>
  );
}
