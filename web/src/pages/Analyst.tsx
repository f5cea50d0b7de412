import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type ForecastJson, type ForecastSummary } from '../api.ts';
import { CostChart } from '../components/CostChart.tsx';
import { Tornado, type TornadoBar } from '../components/Tornado.tsx';
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
  /** Price decline per quarter of LLM inference, GPU compute and storage (%). */
  readonly decline: number;
  readonly gpuDecline: number;
  readonly storageDecline: number;
  readonly premium: number;
  readonly availability: number;
  /** × every workload's growth and efficiency, in % (100: the set's own). */
  readonly growth: number;
  readonly efficiency: number;
  readonly draws: number;
}

/**
 * The default scenarios' own values (models/scenarios.ts, docs/model.md), the panel's start;
 * growth and efficiency at 100 %, the assumption set's own.
 */
const START: Panel = {
  delay: 4,
  decline: 10,
  gpuDecline: 5,
  storageDecline: 1,
  premium: 15,
  availability: 85,
  growth: 100,
  efficiency: 100,
  draws: 500,
};

/** A whole percentage as the API's decimal string: 15 → "0.15", 100 → "1.00", 5 → "0.05". */
const rate = (percent: number): string => {
  const whole = Math.trunc(percent / 100);
  const cents = String(Math.abs(percent % 100)).padStart(2, '0');
  return `${whole}.${cents}`;
};

/**
 * A percentage as the API's multiplier, without trailing zeros: 120 → "1.2", 105 → "1.05",
 * 50 → "0.5", 100 → "1" (decimal text written from whole numbers, no float).
 */
export const multiplier = (percent: number): string => rate(percent).replace(/\.?0+$/, '');

/** The panel's `adjust` (models/adjust.ts): only the multipliers moved from 100 %. */
export function adjustOf(p: Panel): { growth?: string; efficiency?: string } | undefined {
  const adjust = {
    ...(p.growth === 100 ? {} : { growth: multiplier(p.growth) }),
    ...(p.efficiency === 100 ? {} : { efficiency: multiplier(p.efficiency) }),
  };
  return Object.keys(adjust).length === 0 ? undefined : adjust;
}

/**
 * The scenarios file of a what-if: the two default scenarios (models/scenarios.ts: on time, and
 * delayed with a premium, partial availability and a 20 % fallback premium), the panel's delay,
 * premium and availability on the delayed one and its declines of LLM inference, GPU compute
 * and storage on both. The e2e test checks that the untouched panel gives the API's own
 * defaults.
 */
export function scenariosOf(p: Panel) {
  const decline = {
    'llm-inference': rate(p.decline),
    'gpu-compute': rate(p.gpuDecline),
    storage: rate(p.storageDecline),
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
  readonly step?: number;
  readonly value: number;
  /** The value as read out and shown (`× 1.2`); the bare number without it. */
  readonly text?: string;
  readonly onInput: (v: number) => void;
}) {
  const { id, label, min, max, step = 1, value, text, onInput } = props;
  return (
    <div class="slider">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        {...(text === undefined ? {} : { 'aria-valuetext': text })}
        onInput={(e) => onInput(Number((e.target as HTMLInputElement).value))}
      />
      <output for={id} aria-hidden="true">
        {text ?? value}
      </output>
    </div>
  );
}

/** A multiplier as the reader writes it: × 1.2, × 1,2. */
const times = (locale: Locale, percent: number) =>
  `× ${new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 }).format(multiplier(percent) as unknown as number)}`;

/** A what-if answer asked with `sensitivity`: its tornado (models/forecast-json.ts). */
type WithTornado = ForecastJson & {
  readonly sensitivity?: { readonly tornado?: readonly TornadoBar[] };
};

/** The tornado of one scenario of a what-if answered with `sensitivity`. */
function TornadoOf(props: {
  readonly locale: Locale;
  readonly forecast: WithTornado;
  readonly scenarioId: string;
  readonly stale: boolean;
}) {
  const { locale, forecast, scenarioId, stale } = props;
  const sc = forecast.scenarios.find((x) => x.id === scenarioId) ?? forecast.scenarios[0];
  if (!sc) return null;
  const bars = (forecast.sensitivity?.tornado ?? []).filter((b) => b.scenarioId === sc.id);
  return (
    <div class={stale ? 'stale' : ''}>
      <Tornado
        locale={locale}
        bars={bars}
        total={sc.total}
        currency={forecast.currency}
        scenario={scenarioName(locale, sc.id, sc.name)}
      />
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
  const [whatIfError, setWhatIfError] = useState<{
    readonly message: string;
    readonly issues: readonly string[];
  } | null>(null);
  /** The body (its JSON) whose answer the chart shows. */
  const [drawnKey, setDrawnKey] = useState('');
  const [showTornado, setShowTornado] = useState(true);
  const [tornadoScenario, setTornadoScenario] = useState('delayed');
  const [tornado, setTornado] = useState<{
    readonly key: string;
    readonly forecast: ForecastJson;
  } | null>(null);
  const [tornadoError, setTornadoError] = useState<string | null>(null);
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

  const adjust = adjustOf(panel);
  const body =
    setId && asOf
      ? {
          assumptionsId: setId,
          asOf,
          scenarios: scenariosOf(panel),
          draws: panel.draws,
          ...(adjust ? { adjust } : {}),
        }
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
          setDrawnKey(bodyKey);
          setBusy(false);
        })
        .catch((e: Error) => {
          if (abort.signal.aborted || n !== seq.current) return;
          setWhatIfError({
            message: e.message,
            issues: e instanceof ApiError ? e.issues : [],
          });
          setBusy(false);
        });
    }, 300);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [bodyKey]);

  // The tornado: the tornado and grid about double a what-if's time, so they are asked for
  // apart (`sensitivity`, no draws: the tornado does not use them), 300 ms after the chart
  // shows the same body, so it never holds the chart up; a change of the panel before then
  // cancels it. One already sent is left to finish (stopping a computation under way ends its
  // compute thread, and the next chart would wait for a new one); its answer, if older than
  // the panel, is shown greyed until the new one comes.
  const tornadoWanted = showTornado && body !== null && drawnKey === bodyKey;
  const tornadoSeq = useRef(0);
  useEffect(() => {
    if (!tornadoWanted || tornado?.key === bodyKey) return;
    const key = bodyKey;
    const timer = setTimeout(() => {
      const n = ++tornadoSeq.current;
      api<ForecastJson>('POST', '/v1/what-if', { body: { ...body, draws: 0, sensitivity: true } })
        .then((f) => {
          if (n !== tornadoSeq.current) return;
          setTornadoError(null);
          setTornado({ key, forecast: f });
        })
        .catch((e: Error) => {
          if (n === tornadoSeq.current) setTornadoError(e.message);
        });
    }, 300);
    return () => clearTimeout(timer);
  }, [tornadoWanted, bodyKey]);

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
          <fieldset>
            <legend>{s('scenarioGroup')}</legend>
            <Slider
              id="wi-delay"
              label={s('delay')}
              min={0}
              max={12}
              value={panel.delay}
              onInput={set('delay')}
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
          </fieldset>
          <fieldset>
            <legend>{s('declineGroup')}</legend>
            <Slider
              id="wi-decline"
              label={s('decline')}
              min={0}
              max={30}
              value={panel.decline}
              onInput={set('decline')}
            />
            <Slider
              id="wi-gpu-decline"
              label={s('gpuDecline')}
              min={0}
              max={30}
              value={panel.gpuDecline}
              onInput={set('gpuDecline')}
            />
            <Slider
              id="wi-storage-decline"
              label={s('storageDecline')}
              min={0}
              max={10}
              value={panel.storageDecline}
              onInput={set('storageDecline')}
            />
          </fieldset>
          <fieldset>
            <legend>{s('adjustGroup')}</legend>
            <Slider
              id="wi-growth"
              label={s('growth')}
              min={50}
              max={150}
              step={5}
              value={panel.growth}
              text={times(locale, panel.growth)}
              onInput={set('growth')}
            />
            <Slider
              id="wi-efficiency"
              label={s('efficiency')}
              min={50}
              max={150}
              step={5}
              value={panel.efficiency}
              text={times(locale, panel.efficiency)}
              onInput={set('efficiency')}
            />
          </fieldset>
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
          <label class="check">
            <input
              id="wi-tornado"
              type="checkbox"
              checked={showTornado}
              onChange={(e) => setShowTornado((e.target as HTMLInputElement).checked)}
            />
            {s('showTornado')}
          </label>
          <p class="small muted">{s('parametersNote')}</p>
        </fieldset>
        <div class="result">
          <p class="small muted" aria-live="polite">
            {busy ? s('computing') : result ? s('computed') : ''}
          </p>
          {whatIfError !== null && (
            <div role="alert" class="error" id="whatif-error">
              <p>{s('whatIfFailed', { message: whatIfError.message })}</p>
              {whatIfError.issues.length > 0 && (
                <ul>
                  {whatIfError.issues.map((i) => (
                    <li key={i}>{i}</li>
                  ))}
                </ul>
              )}
            </div>
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
          {showTornado && result && (
            <section
              class="tornado-panel"
              aria-labelledby="tornado-title"
              data-state={tornado?.key === bodyKey ? 'ready' : 'computing'}
              data-key={tornado?.key === bodyKey ? String(seq.current) : ''}
            >
              <div class="tornado-head">
                <h2 id="tornado-title">{s('tornado')}</h2>
                <label>
                  {s('tornadoScenario')}
                  <select
                    id="wi-tornado-scenario"
                    value={tornadoScenario}
                    onChange={(e) => setTornadoScenario((e.target as HTMLSelectElement).value)}
                  >
                    {result.scenarios.map((sc) => (
                      <option key={sc.id} value={sc.id}>
                        {scenarioName(locale, sc.id, sc.name)}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <p class="small muted" aria-live="polite">
                {tornadoError !== null
                  ? ''
                  : tornado?.key === bodyKey
                    ? s('tornadoNote')
                    : s('tornadoComputing')}
              </p>
              {tornadoError !== null && (
                <p role="alert" class="error">
                  {s('whatIfFailed', { message: tornadoError })}
                </p>
              )}
              {tornado && (
                <TornadoOf
                  locale={locale}
                  forecast={tornado.forecast}
                  scenarioId={tornadoScenario}
                  stale={tornado.key !== bodyKey}
                />
              )}
            </section>
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
              {s('saved', { name: saved.name, status: s(`status.${saved.status}`) })}{' '}
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
