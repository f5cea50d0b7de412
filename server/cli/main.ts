import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  type Adjustment,
  adjustAssumptions,
  adjustmentSchema,
  effectiveAdjustment,
  MAX_ADJUST,
} from '../../models/adjust.ts';
import { DEFAULT_DRAWS, DEFAULT_SEED, forecast } from '../../models/forecast.ts';
import { forecastAsOfQuarter, staleAfterQuartersOf } from '../../models/freshness.ts';
import { formatIssue, type InputIssue } from '../../models/result.ts';
import { type Variance, variance } from '../../models/variance.ts';
import { renderWorkbook } from '../../templates/index.ts';
import { LABELS, type Locale } from '../../templates/labels.ts';
import { localeFromEnv, translate } from '../http/messages.ts';
import { inputHash } from '../input-hash.ts';
import { ENGINE_VERSION } from '../version.ts';
import { COMPARE_USAGE, CompareUsageError, compareCommand, readSide } from './compare.ts';
import { KEYS_USAGE, KeysUsageError, keysCommand } from './keys.ts';
import { loadInputs, locateEngineIssues } from './load-inputs.ts';
import {
  QUARTER_CLOSE_USAGE,
  QuarterCloseUsageError,
  quarterCloseCommand,
} from './quarter-close.ts';
import { SHEETS_USAGE, SheetsUsageError, sheetsCommand } from './sheets.ts';
import { staleLines, summaryLines } from './summary.ts';

const USAGE = `Usage:
  npm run costcast -- forecast --assumptions A.json --prices P.csv [--prices P2.json | DIR …]
      [--scenarios S.json] [--locale en|fr] [--draws N] [--seed N] [--out F.xlsx] [--json F.json]
      [--stale-after N] [--against OLD] [--growth X] [--efficiency X]

  --prices takes a price sheet (CSV in English or French Excel form, XLSX, JSON rows, a
  LiteLLM price catalogue) or a folder of them. Without --json or --out the forecast JSON
  goes to standard output. --out writes the Excel workbook (labels in --locale: en or fr,
  default from LANG, fr_FR.UTF-8 giving fr); the same inputs and --generated-at give a
  byte-identical file. Error lines and the printed summary follow --locale too. A price
  sheet more than --stale-after quarters (default COSTCAST_STALE_AFTER_QUARTERS, else 1)
  older than the quarter of --generated-at is flagged STALE. --against OLD (a forecast
  saved from the service or a folder of inputs, as compare reads them) adds the Changes
  sheet to the --out workbook: the bridge from OLD's totals to this forecast's.
  --growth X and --efficiency X (decimals from 0 to 10) multiply every workload's
  growthPerQuarter and efficiency before the projection, as the API's "adjust" does; the
  forecast says so in its warnings and its workbook's Summary.
  Exit 0 on success, 2 on bad input (one "file:row:column: message" line per problem).

${COMPARE_USAGE}

${QUARTER_CLOSE_USAGE}

${KEYS_USAGE}

${SHEETS_USAGE}`;

class UsageError extends Error {}

const progress = (message: string) => process.stderr.write(`costcast: ${message}\n`);

/** The progress lines, in the CLI's language. */
const STEPS = {
  en: {
    reading: 'reading the assumptions and price sheets',
    projecting: (w: number, q: number, draws: number) =>
      `projecting ${w} workloads × ${q} quarters; sensitivity and ${draws} Monte Carlo draws per scenario`,
    computed: (ms: number) => `computed in ${ms} ms`,
    wrote: (file: string) => `wrote ${file}`,
    wroteBook: (file: string, kib: number, ms: number) => `wrote ${file} (${kib} KiB, ${ms} ms)`,
  },
  fr: {
    reading: 'lecture des hypothèses et des grilles tarifaires',
    projecting: (w: number, q: number, draws: number) =>
      `projection de ${w} charges × ${q} trimestres ; sensibilité et ${draws} tirages Monte-Carlo par scénario`,
    computed: (ms: number) => `calculé en ${ms} ms`,
    wrote: (file: string) => `écrit : ${file}`,
    wroteBook: (file: string, kib: number, ms: number) => `écrit : ${file} (${kib} Kio, ${ms} ms)`,
  },
} as const;

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number (got "${text}")`);
  return Number(text);
}

/** A --growth or --efficiency multiplier, as the API's `adjust` takes it (models/adjust.ts). */
function multiplier(name: keyof Adjustment, text: string | undefined): Adjustment {
  if (text === undefined) return {};
  if (!adjustmentSchema.shape[name].safeParse(text).success)
    throw new UsageError(
      `--${name} must be a decimal multiplier from 0 to ${MAX_ADJUST}, such as 1.2 (got "${text}")`,
    );
  return { [name]: text };
}

async function forecastCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      assumptions: { type: 'string' },
      prices: { type: 'string', multiple: true },
      scenarios: { type: 'string' },
      locale: { type: 'string' },
      draws: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'string' },
      'generated-at': { type: 'string' },
      'stale-after': { type: 'string' },
      against: { type: 'string' },
      growth: { type: 'string' },
      efficiency: { type: 'string' },
    },
  });
  if (values.against !== undefined && !values.out)
    throw new UsageError('--against adds the Changes sheet to the workbook: give --out too');
  if (!values.assumptions) throw new UsageError('--assumptions is required');
  if (!values.prices?.length) throw new UsageError('at least one --prices file is required');
  const locale = values.locale ?? localeFromEnv(process.env);
  if (locale !== 'en' && locale !== 'fr')
    throw new UsageError(`--locale must be "en" or "fr" (got "${locale}")`);
  const adjustment = effectiveAdjustment({
    ...multiplier('growth', values.growth),
    ...multiplier('efficiency', values.efficiency),
  });
  const draws = integer('draws', values.draws, DEFAULT_DRAWS);
  const seed = integer('seed', values.seed, DEFAULT_SEED);
  const generatedAt = values['generated-at'] ? new Date(values['generated-at']) : new Date();
  if (Number.isNaN(generatedAt.getTime()) || generatedAt.getUTCFullYear() < 1980)
    throw new UsageError(
      `--generated-at must be an ISO date-time from 1980 on (got "${values['generated-at']}")`,
    );

  const staleAfter = staleAfterQuartersOf(
    values['stale-after'] ?? process.env.COSTCAST_STALE_AFTER_QUARTERS,
  );
  if (!staleAfter.ok)
    throw new UsageError(
      `${values['stale-after'] === undefined ? 'COSTCAST_STALE_AFTER_QUARTERS' : '--stale-after'} ${staleAfter.message}`,
    );

  const files = {
    assumptions: values.assumptions,
    prices: values.prices,
    scenarios: values.scenarios,
  };
  const step = STEPS[locale];
  progress(step.reading);
  const inputs = await loadInputs(files);
  if (!inputs.ok) return report(inputs.issues, locale);
  const { sheets, scenarios, ranges } = inputs.value;
  // The multipliers, applied before anything else: the assumptions computed, hashed and
  // shown on the Inputs sheet are the adjusted ones. An issue is the workload's, located at
  // its field in the assumptions file, and named by the option.
  const adjusted = adjustAssumptions(inputs.value.assumptions, adjustment);
  if (!adjusted.ok) {
    const option = (i: InputIssue) => ({
      ...i,
      field: i.field === 'adjust.growth' ? '--growth' : '--efficiency',
    });
    return report(
      locateEngineIssues(adjusted.issues.map(option), files, inputs.value.docs),
      locale,
    );
  }
  const assumptions = adjusted.value;
  progress(step.projecting(assumptions.workloads.length, assumptions.horizonQuarters, draws));
  const started = performance.now();
  const result = forecast(assumptions, sheets, {
    draws,
    seed,
    asOfQuarter: forecastAsOfQuarter(undefined, generatedAt),
    staleAfterQuarters: staleAfter.value,
    ...(scenarios ? { scenarios } : {}),
    ...(ranges ? { ranges } : {}),
    adjustment,
  });
  if (!result.ok)
    return report(locateEngineIssues(result.issues, files, inputs.value.docs), locale);
  progress(step.computed(Math.round(performance.now() - started)));
  // The bridge from the earlier forecast, for the workbook's Changes sheet.
  let bridge: Variance | undefined;
  if (values.against !== undefined) {
    const old = await readSide(values.against);
    if (!old.ok) return report(old.issues, locale);
    const v = variance(
      old.value.inputs,
      { assumptions, sheets, scenarios },
      { old: values.against, new: values.assumptions },
    );
    if (!v.ok) return report(v.issues, locale);
    bridge = v.value;
  }
  const json = `${JSON.stringify(result.value.json, null, 2)}\n`;
  if (values.json) {
    await writeFile(values.json, json);
    progress(step.wrote(values.json));
  }
  if (values.out) {
    const started = performance.now();
    const bytes = await renderWorkbook(result.value, {
      locale,
      generatedAt,
      engineVersion: ENGINE_VERSION,
      inputHash: inputHash({ assumptions, sheets, scenarios, ranges, draws, seed }),
      ...(bridge ? { variance: bridge } : {}),
    });
    await writeFile(values.out, bytes);
    progress(
      step.wroteBook(
        values.out,
        Math.round(bytes.length / 1024),
        Math.round(performance.now() - started),
      ),
    );
  }
  if (!values.json && !values.out) process.stdout.write(json);
  else printSummary(result.value.json, locale);
  // Beside the summary on standard output; on standard error when that holds the JSON.
  const out = values.json || values.out ? process.stdout : process.stderr;
  for (const line of staleLines(result.value.json, locale)) out.write(`${line}\n`);
  const warnings =
    locale === 'en'
      ? result.value.json.warnings
      : result.value.notices.map((n) => `avertissement : ${LABELS.fr.notice(n)}`);
  for (const w of warnings) progress(locale === 'en' ? `warning: ${w}` : w);
  return 0;
}

/** Totals with thousands separators and the currency, exceeded budgets flagged per year. */
function printSummary(json: import('../../models/forecast-json.ts').ForecastJson, locale: Locale) {
  process.stdout.write(`${summaryLines(json, locale).join('\n')}\n`);
}

function report(issues: readonly InputIssue[], locale: Locale): number {
  for (const issue of issues)
    process.stderr.write(
      `${formatIssue({ ...issue, message: translate(issue.message, locale) })}\n`,
    );
  return 2;
}

/** The language of the command line's errors: its --locale, else LANG and its kin. */
function argvLocale(argv: readonly string[]): Locale {
  const i = argv.findIndex((a) => a === '--locale' || a.startsWith('--locale='));
  const value = i < 0 ? undefined : (argv[i]?.split('=')[1] ?? argv[i + 1]);
  return value === 'fr' || value === 'en' ? value : localeFromEnv(process.env);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'forecast':
        return await forecastCommand(rest);
      case 'compare':
        return await compareCommand(rest, localeFromEnv(process.env));
      case 'quarter-close':
        return await quarterCloseCommand(rest, localeFromEnv(process.env));
      case 'keys':
        return await keysCommand(rest);
      case 'sheets':
        return await sheetsCommand(rest);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof KeysUsageError ||
      e instanceof CompareUsageError ||
      e instanceof QuarterCloseUsageError ||
      e instanceof SheetsUsageError ||
      (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      const message = translate((e as Error).message, argvLocale(argv));
      process.stderr.write(`costcast: ${message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
