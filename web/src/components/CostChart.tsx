import { useEffect, useRef } from 'preact/hooks';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ForecastJson } from '../api.ts';
import { compact, type Locale, money, quarter, scenarioName, t } from '../i18n.ts';

/** Scenario colours, in order; readable on white and told apart by the colour-blind. */
export const COLOURS = ['#1f5fa8', '#c2410c', '#15803d', '#7e22ce', '#0f766e', '#a16207'];
const alpha = (hex: string, a: string) => `${hex}${a}`;

/**
 * The quarterly cost of each scenario: its point forecast as a line and, when the forecast has
 * Monte Carlo draws, the P10–P90 band around it — the API's numbers, drawn as they are
 * (a chart needs floats; the tables beside it show the exact amounts). A table of the same
 * numbers follows for those who do not see the chart.
 */
export function CostChart(props: { readonly locale: Locale; readonly forecast: ForecastJson }) {
  const { locale, forecast } = props;
  const box = useRef<HTMLDivElement>(null);
  const mc = forecast.monteCarlo.draws > 0 ? forecast.monteCarlo.scenarios : [];
  const spreadOf = (id: string) => mc.find((m) => m.id === id);
  const names = forecast.scenarios.map((s) => scenarioName(locale, s.id, s.name));
  const labels = forecast.quarters.map((q) => quarter(locale, q));

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const x = forecast.quarters.map((_, i) => i);
    const data: (number | null)[][] = [x];
    const series: Options['series'] = [{}];
    const bands: NonNullable<Options['bands']> = [];
    forecast.scenarios.forEach((s, i) => {
      const colour = COLOURS[i % COLOURS.length] ?? '#333';
      data.push(s.byQuarter.map((q) => Number(q.total)));
      series.push({ label: names[i] ?? s.id, stroke: colour, width: 2.5, points: { size: 6 } });
      const spread = spreadOf(s.id);
      if (spread) {
        const p90 = data.length;
        data.push(spread.byQuarter.map((q) => Number(q.p90)));
        data.push(spread.byQuarter.map((q) => Number(q.p10)));
        for (const p of ['P90', 'P10'])
          series.push({
            label: `${names[i]} ${p}`,
            stroke: alpha(colour, '88'),
            width: 1,
            dash: [4, 4],
            points: { show: false },
          });
        bands.push({ series: [p90, p90 + 1], fill: alpha(colour, '22') });
      }
    });
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 300,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [
          {
            values: (_u, splits) => splits.map((v) => labels[v] ?? ''),
            incrs: [1],
            space: 56,
          },
          { values: (_u, splits) => splits.map((v) => compact(locale, v)), size: 64 },
        ],
        series,
        bands,
      },
      data as AlignedData,
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(320, el.clientWidth), height: 300 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [forecast, locale]);

  const first = labels[0] ?? '';
  const last = labels[labels.length - 1] ?? '';
  return (
    <figure class="chart">
      <figcaption>
        <h2 id="chart-title">{t(locale, 'chartTitle')}</h2>
        <p class="muted">{t(locale, 'chartDescription')}</p>
      </figcaption>
      <ul class="legend">
        {forecast.scenarios.map((s, i) => (
          <li key={s.id}>
            <span class={`swatch line c${i % COLOURS.length}`} aria-hidden="true" />
            {t(locale, 'pointForecast', { scenario: names[i] ?? s.id })}
            {spreadOf(s.id) && (
              <>
                {' '}
                <span class={`swatch band c${i % COLOURS.length}`} aria-hidden="true" />
                {t(locale, 'band', { scenario: names[i] ?? s.id })}
              </>
            )}
          </li>
        ))}
      </ul>
      <div
        ref={box}
        class="plot"
        role="img"
        aria-label={t(locale, 'chartLabel', { scenarios: names.join(', '), from: first, to: last })}
      />
      <details>
        <summary>{t(locale, 'chartData')}</summary>
        <div class="scroll">
          <table class="numbers">
            <thead>
              <tr>
                <th scope="col">{t(locale, 'quarter')}</th>
                {forecast.scenarios.map((s, i) => (
                  <>
                    <th scope="col" key={s.id}>
                      {names[i]}
                    </th>
                    {spreadOf(s.id) && (
                      <>
                        <th scope="col">
                          {names[i]} {t(locale, 'p10')}
                        </th>
                        <th scope="col">
                          {names[i]} {t(locale, 'p90')}
                        </th>
                      </>
                    )}
                  </>
                ))}
              </tr>
            </thead>
            <tbody>
              {forecast.quarters.map((q, qi) => (
                <tr key={q}>
                  <th scope="row">{labels[qi]}</th>
                  {forecast.scenarios.map((s) => {
                    const spread = spreadOf(s.id)?.byQuarter[qi];
                    const m = (v: string | undefined) =>
                      v === undefined ? '' : money(locale, v, forecast.currency);
                    return (
                      <>
                        <td key={s.id}>{m(s.byQuarter[qi]?.total)}</td>
                        {spread && (
                          <>
                            <td>{m(spread.p10)}</td>
                            <td>{m(spread.p90)}</td>
                          </>
                        )}
                      </>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
