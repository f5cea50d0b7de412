import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  approvedForecasts,
  type ForecastDetail,
  type ForecastSummary,
  forecastDetail,
} from '../api.ts';
import { type QuarterAnswer, quarterForecast } from '../cfo-api.ts';
import { tc } from '../cfo-i18n.ts';
import { CfoReview } from '../components/CfoReview.tsx';
import { CostChart } from '../components/CostChart.tsx';
import { count, date, fiscalYear, type Locale, money, quarter, scenarioName, t } from '../i18n.ts';

/** When a forecast was approved, for ordering: the latest approval is the quarter's forecast. */
const approvedAt = (f: ForecastSummary) => f.reviewedAt ?? f.createdAt;

/**
 * The CFO's page: pick a quarter, see its approved forecast — totals by scenario, by fiscal
 * year against budget, the quarterly chart with its P10–P90 band — and download the workbook.
 * Every number is the API's, formatted for the reader; the page adds nothing up.
 */
export function CfoPage(props: { readonly locale: Locale }) {
  const { locale } = props;
  const [list, setList] = useState<ForecastSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosenQuarter, setQuarter] = useState<string | null>(null);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [detail, setDetail] = useState<ForecastDetail | null>(null);
  // GET /v1/quarters/:quarter: which approval is the quarter's forecast, and what it supersedes.
  const [ofQuarter, setOfQuarter] = useState<QuarterAnswer | null>(null);

  useEffect(() => {
    document.title = `${t(locale, 'cfoTitle')} — costcast`;
  }, [locale]);

  useEffect(() => {
    approvedForecasts()
      .then(setList)
      .catch((e: Error) => setError(e.message));
  }, []);

  const quarters = useMemo(
    () => [...new Set((list ?? []).map((f) => f.quarter))].sort().reverse(),
    [list],
  );
  const currentQuarter = chosenQuarter ?? quarters[0] ?? null;
  const inQuarter = useMemo(
    () =>
      (list ?? [])
        .filter((f) => f.quarter === currentQuarter)
        .sort((a, b) => approvedAt(b).localeCompare(approvedAt(a))),
    [list, currentQuarter],
  );
  useEffect(() => {
    if (currentQuarter === null) return;
    let live = true;
    setOfQuarter(null);
    quarterForecast(currentQuarter)
      .then((q) => live && setOfQuarter(q))
      .catch(() => live && setOfQuarter(null));
    return () => {
      live = false;
    };
  }, [currentQuarter]);
  const quarterId = ofQuarter?.quarter === currentQuarter ? ofQuarter.forecast.id : undefined;
  const currentId =
    chosenId !== null && inQuarter.some((f) => f.id === chosenId)
      ? chosenId
      : (quarterId ?? inQuarter[0]?.id);

  useEffect(() => {
    if (currentId === undefined) return;
    setDetail(null);
    let live = true;
    forecastDetail(currentId)
      .then((d) => live && setDetail(d))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [currentId]);

  if (error !== null)
    return (
      <p role="alert" class="error">
        {t(locale, 'failed', { message: error })}
      </p>
    );
  if (list === null) return <p>{t(locale, 'loading')}</p>;

  return (
    <section class="cfo" aria-labelledby="cfo-title">
      <h1 id="cfo-title">{t(locale, 'cfoTitle')}</h1>
      {quarters.length === 0 ? (
        <p>{t(locale, 'noApproved')}</p>
      ) : (
        <>
          <div class="pickers">
            <label>
              <span>{t(locale, 'quarter')}</span>
              <select
                id="quarter"
                value={currentQuarter ?? ''}
                onChange={(e) => {
                  setQuarter((e.currentTarget as HTMLSelectElement).value);
                  setChosenId(null);
                }}
              >
                {quarters.map((q) => (
                  <option key={q} value={q}>
                    {quarter(locale, q)}
                  </option>
                ))}
              </select>
            </label>
            {inQuarter.length > 1 && (
              <label>
                <span>{t(locale, 'forecast')}</span>
                <select
                  value={currentId ?? ''}
                  onChange={(e) => setChosenId((e.currentTarget as HTMLSelectElement).value)}
                >
                  {inQuarter.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name} — {date(locale, approvedAt(f))}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          {inQuarter.length > 1 && (
            <p class="muted">{t(locale, 'otherApproved', { count: inQuarter.length })}</p>
          )}
          {ofQuarter?.quarter === currentQuarter &&
            ofQuarter.forecast.id === currentId &&
            ofQuarter.supersedes.length > 0 && (
              <p class="muted" id="supersedes">
                {tc(locale, 'supersedes', {
                  count: ofQuarter.supersedes.length,
                  names: ofQuarter.supersedes
                    .map((f) => `${f.name} (${f.reviewedAt ? date(locale, f.reviewedAt) : '—'})`)
                    .join(', '),
                })}
              </p>
            )}
          {detail === null || detail.id !== currentId ? (
            <p>{t(locale, 'loading')}</p>
          ) : (
            <Forecast locale={locale} detail={detail} />
          )}
        </>
      )}
    </section>
  );
}

function Forecast(props: { readonly locale: Locale; readonly detail: ForecastDetail }) {
  const { locale, detail } = props;
  const f = detail.forecast;
  const cur = f.currency;
  const m = (v: string) => money(locale, v, cur);
  const mc = f.monteCarlo.draws > 0 ? f.monteCarlo.scenarios : [];
  const names = f.scenarios.map((s) => scenarioName(locale, s.id, s.name));
  return (
    <>
      <div class="forecast-head">
        {/* The forecast's name as saved and reviewed (the quarter picker's), not its model's. */}
        <h2 id="forecast-name">{detail.name}</h2>
        <p class="muted">
          {t(locale, 'approvedBy', {
            who: detail.reviewedBy ?? '—',
            date: detail.reviewedAt ? date(locale, detail.reviewedAt) : '—',
          })}
          {' · '}
          {t(locale, 'createdBy', { who: detail.createdBy })}
          {' · '}
          {t(locale, 'horizon', {
            from: quarter(locale, f.quarters[0] ?? ''),
            to: quarter(locale, f.quarters[f.quarters.length - 1] ?? ''),
            currency: cur,
          })}
        </p>
        <div class="downloads">
          <a
            class="button"
            href={`/v1/forecasts/${detail.id}/workbook?locale=en`}
            download
            hrefLang="en"
          >
            {t(locale, 'downloadEn')}
          </a>
          <a
            class="button"
            href={`/v1/forecasts/${detail.id}/workbook?locale=fr`}
            download
            hrefLang="fr"
          >
            {t(locale, 'downloadFr')}
          </a>
        </div>
      </div>

      <div class="cards">
        <section class="card" aria-labelledby="totals-title">
          <h2 id="totals-title">{t(locale, 'totals')}</h2>
          <table class="numbers" id="totals">
            <thead>
              <tr>
                <th scope="col">{t(locale, 'scenario')}</th>
                <th scope="col">{t(locale, 'total')}</th>
                {mc.length > 0 && <th scope="col">{t(locale, 'p10')}</th>}
                {mc.length > 0 && <th scope="col">{t(locale, 'p90')}</th>}
              </tr>
            </thead>
            <tbody>
              {f.scenarios.map((s, i) => {
                const spread = mc.find((x) => x.id === s.id);
                return (
                  <tr key={s.id} data-scenario={s.id}>
                    <th scope="row">{names[i]}</th>
                    <td data-amount={s.total}>{m(s.total)}</td>
                    {mc.length > 0 && <td>{spread ? m(spread.total.p10) : ''}</td>}
                    {mc.length > 0 && <td>{spread ? m(spread.total.p90) : ''}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p class="muted small">
            {mc.length > 0
              ? t(locale, 'monteCarloNote', { draws: count(locale, f.monteCarlo.draws) })
              : t(locale, 'noMonteCarlo')}
          </p>
        </section>

        <CostChart locale={locale} forecast={f} />

        <section class="card" aria-labelledby="fy-title">
          <h2 id="fy-title">{t(locale, 'byFiscalYear')}</h2>
          <table class="numbers" id="fiscal-years">
            <thead>
              <tr>
                <th scope="col">{t(locale, 'scenario')}</th>
                <th scope="col" class="label">
                  {t(locale, 'fiscalYear')}
                </th>
                <th scope="col">{t(locale, 'total')}</th>
                <th scope="col">{t(locale, 'budget')}</th>
                <th scope="col">{t(locale, 'headroom')}</th>
                <th scope="col" class="label">
                  {t(locale, 'status')}
                </th>
              </tr>
            </thead>
            {f.scenarios.map((s, i) => {
              const years = f.fiscalYears.filter((fy) => s.byFiscalYear[fy] !== undefined);
              return (
                <tbody key={s.id}>
                  {years.map((fy, row) => {
                    const y = s.byFiscalYear[fy];
                    if (!y) return null;
                    // The engine's headroom is budget − total: a minus sign means over budget.
                    const over = y.headroom?.startsWith('-') ?? false;
                    return (
                      <tr key={fy} data-scenario={s.id} data-fiscal-year={fy}>
                        {row === 0 && (
                          <th scope="rowgroup" rowSpan={years.length}>
                            {names[i]}
                          </th>
                        )}
                        <td class="label">
                          {fiscalYear(locale, fy)}
                          {!y.complete && (
                            <span class="muted small">
                              {' '}
                              ({t(locale, 'partialYear', { count: y.quarterCount })})
                            </span>
                          )}
                        </td>
                        <td data-amount={y.total}>{m(y.total)}</td>
                        <td>{y.budget === null ? '—' : m(y.budget)}</td>
                        <td class={over ? 'over' : undefined}>
                          {y.headroom === null ? '—' : m(y.headroom)}
                        </td>
                        <td class={over ? 'label over' : 'label'}>
                          {y.budget === null
                            ? t(locale, 'noBudget')
                            : over
                              ? t(locale, 'overBudget')
                              : t(locale, 'withinBudget')}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              );
            })}
          </table>
        </section>

        <CfoReview locale={locale} detail={detail} />
      </div>
    </>
  );
}
