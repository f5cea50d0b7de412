import { useEffect, useState } from 'preact/hooks';
import type { ForecastDetail } from '../api.ts';
import {
  type CloseAnswer,
  type ConcentrationParts,
  quarterClose,
  type SourceReview,
  type VarianceAnswer,
  varianceAgainstPrevious,
} from '../cfo-api.ts';
import { decimal2, effectName, share, tc } from '../cfo-i18n.ts';
import { type Locale, money, quarter, scenarioName, t } from '../i18n.ts';
import { Waterfall } from './Waterfall.tsx';

/** The quarter before `label` (2027-Q1 → 2026-Q4), to name it when it has no forecast. */
function previousQuarter(label: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!m) return label;
  const [y, q] = [Number(m[1]), Number(m[2])];
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/**
 * What the CFO reads after the totals: the bridge from last quarter (waterfall and table), the
 * concentration by provider and jurisdiction, and the flags on the prices and the quarter
 * close. Every amount and share is the API's, formatted for the reader.
 */
export function CfoReview(props: { readonly locale: Locale; readonly detail: ForecastDetail }) {
  const { locale, detail } = props;
  // undefined: loading; null: no previous approved forecast (404).
  const [variance, setVariance] = useState<VarianceAnswer | null | undefined>(undefined);
  const [varianceError, setVarianceError] = useState<string | null>(null);
  const [close, setClose] = useState<CloseAnswer | null>(null);

  useEffect(() => {
    let live = true;
    setVariance(undefined);
    setVarianceError(null);
    setClose(null);
    // The close says whether the quarter before has an approved forecast: ask for the bridge
    // only then, so that the page never makes a request it knows will be a 404.
    quarterClose(detail.quarter)
      .then(async (c) => {
        if (!live) return;
        setClose(c);
        if (!c.variance.available && c.variance.reason === 'no_previous') setVariance(null);
        else {
          const v = await varianceAgainstPrevious(detail.id);
          if (live) setVariance(v);
        }
      })
      .catch((e: Error) => live && setVarianceError(e.message));
    return () => {
      live = false;
    };
  }, [detail.id, detail.quarter]);

  return (
    <>
      <Bridge locale={locale} detail={detail} variance={variance} error={varianceError} />
      <Concentration locale={locale} detail={detail} />
      <Checklist locale={locale} detail={detail} close={close} />
    </>
  );
}

function Bridge(props: {
  readonly locale: Locale;
  readonly detail: ForecastDetail;
  readonly variance: VarianceAnswer | null | undefined;
  readonly error: string | null;
}) {
  const { locale, detail, variance, error } = props;
  const [chosen, setChosen] = useState<string | null>(null);
  let body: preact.ComponentChildren;
  if (error !== null) body = <p class="error">{tc(locale, 'bridgeNone', { message: error })}</p>;
  else if (variance === undefined) body = <p>{t(locale, 'loading')}</p>;
  else if (variance === null)
    body = (
      <p id="bridge-none">
        {tc(locale, 'bridgeNoPrevious', {
          quarter: quarter(locale, previousQuarter(detail.quarter)),
        })}
      </p>
    );
  else {
    const v = variance.variance;
    const cur = v.currency;
    const m = (a: string) => money(locale, a, cur);
    const name = (s: { id: string; name: string }) => scenarioName(locale, s.id, s.name);
    const shown = v.scenarios.find((s) => s.id === chosen) ?? v.scenarios[0];
    body = (
      <>
        <p class="muted">
          {tc(locale, 'bridgeAgainst', {
            name: variance.against.name,
            quarter: quarter(locale, variance.against.quarter),
            currency: cur,
          })}
        </p>
        <div class="downloads changes">
          <a
            class="button"
            href={`/v1/forecasts/${detail.id}/workbook?locale=en&against=previous`}
            download
            hrefLang="en"
          >
            {tc(locale, 'downloadChangesEn')}
          </a>
          <a
            class="button"
            href={`/v1/forecasts/${detail.id}/workbook?locale=fr&against=previous`}
            download
            hrefLang="fr"
          >
            {tc(locale, 'downloadChangesFr')}
          </a>
        </div>
        {v.scenarios.length > 1 && (
          <label class="inline">
            <span>{tc(locale, 'bridgeScenario')}</span>
            <select
              id="bridge-scenario"
              value={shown?.id ?? ''}
              onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}
            >
              {v.scenarios.map((s) => (
                <option key={s.id} value={s.id}>
                  {name(s)}
                </option>
              ))}
            </select>
          </label>
        )}
        {shown && (
          <Waterfall
            locale={locale}
            line={shown.total}
            effects={v.effects}
            currency={cur}
            label={tc(locale, 'bridgeChart', {
              old: m(shown.total.old),
              new: m(shown.total.new),
              scenario: name(shown),
            })}
          />
        )}
        <table class="numbers" id="bridge">
          <caption>{tc(locale, 'bridgeTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{tc(locale, 'step')}</th>
              {v.scenarios.map((s) => (
                <th scope="col" key={s.id}>
                  {name(s)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr data-step="total-old">
              <th scope="row">{tc(locale, 'oldTotal')}</th>
              {v.scenarios.map((s) => (
                <td key={s.id} data-scenario={s.id} data-amount={s.total.old}>
                  {m(s.total.old)}
                </td>
              ))}
            </tr>
            {v.effects.map((e) => (
              <tr key={e} data-step={e}>
                <th scope="row">{effectName(locale, e)}</th>
                {v.scenarios.map((s) => (
                  <td key={s.id} data-scenario={s.id} data-amount={s.total.effects[e]}>
                    {m(s.total.effects[e] ?? '0')}
                  </td>
                ))}
              </tr>
            ))}
            <tr data-step="total-new" class="sum">
              <th scope="row">{tc(locale, 'newTotal')}</th>
              {v.scenarios.map((s) => (
                <td key={s.id} data-scenario={s.id} data-amount={s.total.new}>
                  {m(s.total.new)}
                </td>
              ))}
            </tr>
            <tr data-step="total-change">
              <th scope="row">{tc(locale, 'change')}</th>
              {v.scenarios.map((s) => (
                <td key={s.id} data-scenario={s.id} data-amount={s.total.change}>
                  {m(s.total.change)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </>
    );
  }
  return (
    <section class="card" aria-labelledby="bridge-title">
      <h2 id="bridge-title">{tc(locale, 'bridgeTitle')}</h2>
      {body}
    </section>
  );
}

function Concentration(props: { readonly locale: Locale; readonly detail: ForecastDetail }) {
  const { locale, detail } = props;
  const f = detail.forecast as ForecastDetail['forecast'] & Partial<ConcentrationParts>;
  const c = f.concentration;
  if (!c) return null;
  const names = new Map(f.scenarios.map((s) => [s.id, scenarioName(locale, s.id, s.name)]));
  const table = (id: string, kind: 'provider' | 'jurisdiction') => {
    const pick = (s: (typeof c.scenarios)[number]) =>
      kind === 'provider' ? s.byProvider : s.byJurisdiction;
    // Rows in the order of the headline scenario's shares (as the API lists them).
    const keys = [...new Set(c.scenarios.flatMap((s) => Object.keys(pick(s))))];
    return (
      <table class="numbers" id={id}>
        <thead>
          <tr>
            <th scope="col">{tc(locale, kind)}</th>
            {c.scenarios.map((s) => (
              <th scope="col" key={s.scenarioId}>
                {names.get(s.scenarioId) ?? s.scenarioId}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k} data-key={k}>
              <th scope="row">{k}</th>
              {c.scenarios.map((s) => {
                const v = pick(s)[k];
                return (
                  <td key={s.scenarioId} data-scenario={s.scenarioId} data-share={v ?? ''}>
                    {v === undefined ? '—' : share(locale, v)}
                  </td>
                );
              })}
            </tr>
          ))}
          <tr class="sum">
            <th scope="row">{tc(locale, 'hhi')}</th>
            {c.scenarios.map((s) => {
              const v = kind === 'provider' ? s.hhi : s.jurisdictionHhi;
              return (
                <td key={s.scenarioId} data-scenario={s.scenarioId} data-hhi={v}>
                  {decimal2(locale, v)}
                </td>
              );
            })}
          </tr>
        </tbody>
      </table>
    );
  };
  return (
    <section class="card" aria-labelledby="concentration-title">
      <h2 id="concentration-title">{tc(locale, 'concentrationTitle')}</h2>
      <p class="muted small">{tc(locale, 'concentrationIntro')}</p>
      <div class="side-by-side">
        {table('by-provider', 'provider')}
        {table('by-jurisdiction', 'jurisdiction')}
      </div>
    </section>
  );
}

function Checklist(props: {
  readonly locale: Locale;
  readonly detail: ForecastDetail;
  readonly close: CloseAnswer | null;
}) {
  const { locale, detail, close } = props;
  const f = detail.forecast as ForecastDetail['forecast'] & Partial<ConcentrationParts>;
  const sheets = f.priceSheets ?? [];
  const reviews =
    (detail as ForecastDetail & { sourceReviews?: readonly SourceReview[] | null }).sourceReviews ??
    [];
  const reviewOf = (id: string) => reviews.find((r) => r.sheetId === id);
  const flagged = sheets.filter(
    (s) => s.stale !== false || (reviewOf(s.id)?.status ?? 'unreviewed') !== 'accepted',
  );
  return (
    <section class="card" aria-labelledby="checklist-title">
      <h2 id="checklist-title">{tc(locale, 'checklistTitle')}</h2>
      <h3>{tc(locale, 'sheetsTitle')}</h3>
      <p id="flag-summary" class={flagged.length > 0 ? 'over' : undefined}>
        {flagged.length > 0
          ? tc(locale, 'flagged', { count: flagged.length })
          : tc(locale, 'noneFlagged')}
      </p>
      <table class="numbers" id="price-sheets">
        <thead>
          <tr>
            <th scope="col">{tc(locale, 'sheet')}</th>
            <th scope="col" class="label">
              {tc(locale, 'asOf')}
            </th>
            <th scope="col">{tc(locale, 'age')}</th>
            <th scope="col" class="label">
              {tc(locale, 'freshness')}
            </th>
            <th scope="col" class="label">
              {tc(locale, 'review')}
            </th>
          </tr>
        </thead>
        <tbody>
          {sheets.map((s) => {
            const r = reviewOf(s.id);
            const status = r?.status ?? 'unreviewed';
            return (
              <tr key={s.id} data-sheet={s.id} data-stale={String(s.stale)} data-review={status}>
                <th scope="row">{s.name}</th>
                <td class="label">{s.asOfQuarter ? quarter(locale, s.asOfQuarter) : '—'}</td>
                <td>{s.ageQuarters ?? '—'}</td>
                <td class={s.stale !== false ? 'label over' : 'label'}>
                  {s.stale === null
                    ? tc(locale, 'unknown')
                    : s.stale
                      ? `⚠ ${tc(locale, 'stale')}`
                      : tc(locale, 'fresh')}
                </td>
                <td class={status !== 'accepted' ? 'label over' : 'label'}>
                  {status !== 'accepted' ? '⚠ ' : ''}
                  {tc(locale, `review.${status}`, { by: r?.by ?? '—' })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {close && (
        <>
          <h3>{tc(locale, 'closeTitle', { quarter: quarter(locale, close.quarter) })}</h3>
          <p
            id="close-ready"
            data-ready={String(close.ready)}
            class={close.ready ? undefined : 'over'}
          >
            {close.ready ? tc(locale, 'closeReady') : tc(locale, 'closeNotReady')}
          </p>
          <ul class="checklist" id="close-list">
            {close.providers.length === 0 ? (
              <li data-done="true">
                <span class="tick" aria-hidden="true">
                  ✓
                </span>{' '}
                {tc(locale, 'closeAllProviders')}
              </li>
            ) : (
              close.providers.map((p) => (
                <li key={p.provider} data-done="false" data-provider={p.provider}>
                  <span class="tick" aria-hidden="true">
                    ✗
                  </span>{' '}
                  {tc(
                    locale,
                    p.problem === 'no_sheet' ? 'closeProviderNoSheet' : 'closeProviderUnreviewed',
                    { provider: p.provider },
                  )}
                </li>
              ))
            )}
            {(
              [
                ['closeStale', close.staleSheets.length],
                ['closeAwaiting', close.awaitingReview.length],
                ['closeDrafts', close.drafts.length],
              ] as const
            ).map(([key, n]) => (
              <li key={key} data-done={String(n === 0)}>
                <span class="tick" aria-hidden="true">
                  {n === 0 ? '✓' : '✗'}
                </span>{' '}
                {tc(locale, key, { count: n })}
                <span class="cfo-hidden">
                  {' '}
                  ({n === 0 ? tc(locale, 'done') : tc(locale, 'left')})
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
