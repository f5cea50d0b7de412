import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { type Locale, quarter, t } from '../i18n.ts';
import {
  decimalText,
  type EditorKey,
  localText,
  priceText,
  quarterCode,
  te,
} from './EditorText.ts';
import './editor.css';

/** A price of GET /v1/prices: what a forecast "as of" the quarter would use for a SKU. */
export interface CataloguePrice {
  readonly provider: string;
  readonly skuId: string;
  readonly region: string | null;
  readonly unit: string;
  readonly category: Category;
  readonly unitPrice: string;
  readonly currency: string;
  readonly sheetId: string;
  readonly sheetQuarter: string | null;
}

const CATEGORIES = ['llm-inference', 'gpu-compute', 'storage', 'network', 'other'] as const;
type Category = (typeof CATEGORIES)[number];

/** A SKU a workload names: its provider, id and region, and its price row when known. */
interface SkuPick {
  readonly provider: string;
  readonly skuId: string;
  readonly region: string | null;
  /** The catalogue's row: its unit is what the workload's unit is checked against. */
  readonly price: CataloguePrice | null;
}

interface WorkloadRow {
  readonly key: number;
  readonly id: string;
  readonly name: string;
  readonly category: Category;
  readonly sku: SkuPick | null;
  readonly unit: string;
  readonly baseQuantity: string;
  readonly growthPerQuarter: string;
  readonly efficiency: string;
  readonly fallback: SkuPick | null;
}

interface Pair {
  readonly key: number;
  readonly a: string;
  readonly b: string;
}

interface Form {
  readonly name: string;
  readonly startQuarter: string;
  readonly horizon: string;
  readonly fyStart: string;
  readonly currency: string;
  readonly fx: readonly Pair[];
  readonly budget: readonly Pair[];
  readonly providers: readonly Pair[];
  readonly workloads: readonly WorkloadRow[];
}

/** The stored document (GET /v1/assumptions/:id), as far as the form reads it. */
interface StoredSet {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly assumptions: {
    readonly name: string;
    readonly startQuarter: string;
    readonly horizonQuarters: number;
    readonly fiscalYearStartMonth?: number;
    readonly reportingCurrency: string;
    readonly fx?: Readonly<Record<string, string>>;
    readonly budget?: Readonly<Record<string, string>>;
    readonly providers?: readonly { name: string; jurisdiction: string }[];
    readonly workloads: readonly {
      id: string;
      name: string;
      category: Category;
      provider: string;
      skuId: string;
      region?: string | null;
      unit: string;
      baseQuantity: string;
      growthPerQuarter: string;
      efficiency: string;
      fallback?: { provider: string; skuId: string; region?: string | null } | null;
    }[];
  };
}

export interface SavedSet {
  readonly id: string;
  readonly name: string;
  readonly version: number;
}

interface Issue {
  readonly field: string | null;
  readonly message: string;
}

let nextKey = 1;
const key = () => nextKey++;

const emptyRow = (): WorkloadRow => ({
  key: key(),
  id: '',
  name: '',
  category: 'other',
  sku: null,
  unit: '',
  baseQuantity: '',
  growthPerQuarter: '',
  efficiency: '',
  fallback: null,
});

const EMPTY: Form = {
  name: '',
  startQuarter: '',
  horizon: '8',
  fyStart: '1',
  currency: '',
  fx: [],
  budget: [],
  providers: [],
  workloads: [emptyRow()],
};

/** The form of a stored set, its numbers written the reader's way. */
function formOf(locale: Locale, set: StoredSet): Form {
  const a = set.assumptions;
  const n = (v: string) => localText(locale, v);
  const ref = (
    r: { provider: string; skuId: string; region?: string | null } | null | undefined,
  ): SkuPick | null =>
    r ? { provider: r.provider, skuId: r.skuId, region: r.region ?? null, price: null } : null;
  return {
    name: a.name,
    startQuarter: a.startQuarter,
    horizon: String(a.horizonQuarters),
    fyStart: String(a.fiscalYearStartMonth ?? 1),
    currency: a.reportingCurrency,
    fx: Object.entries(a.fx ?? {}).map(([c, r]) => ({ key: key(), a: c, b: n(r) })),
    budget: Object.entries(a.budget ?? {}).map(([y, v]) => ({ key: key(), a: y, b: n(v) })),
    providers: (a.providers ?? []).map((p) => ({ key: key(), a: p.name, b: p.jurisdiction })),
    workloads: a.workloads.map((w) => ({
      key: key(),
      id: w.id,
      name: w.name,
      category: w.category,
      sku: ref(w),
      unit: w.unit,
      baseQuantity: n(w.baseQuantity),
      growthPerQuarter: n(w.growthPerQuarter),
      efficiency: n(w.efficiency),
      fallback: ref(w.fallback),
    })),
  };
}

/** Whole numbers go as numbers; anything else as typed, for the service to refuse at its field. */
const integer = (s: string): number | string => (/^\s*\d+\s*$/.test(s) ? Number(s) : s.trim());

/** The JSON the form built: POST /v1/assumptions validates it (the form checks nothing else). */
export function documentOf(locale: Locale, f: Form) {
  const num = (s: string) => decimalText(locale, s);
  // A fallback names its region only when it has one (as the CLI's documents do).
  const ref = (p: SkuPick) => ({
    provider: p.provider,
    skuId: p.skuId,
    ...(p.region !== null && { region: p.region }),
  });
  return {
    name: f.name.trim(),
    startQuarter: quarterCode(f.startQuarter),
    horizonQuarters: integer(f.horizon),
    fiscalYearStartMonth: integer(f.fyStart),
    reportingCurrency: f.currency.trim().toUpperCase(),
    fx: Object.fromEntries(f.fx.map((r) => [r.a.trim().toUpperCase(), num(r.b)])),
    ...(f.budget.length > 0 && {
      budget: Object.fromEntries(f.budget.map((r) => [r.a.trim(), num(r.b)])),
    }),
    providers: f.providers.map((p) => ({ name: p.a.trim(), jurisdiction: p.b.trim() })),
    workloads: f.workloads.map((w) => ({
      id: w.id.trim(),
      name: w.name.trim(),
      category: w.category,
      provider: w.sku?.provider ?? '',
      skuId: w.sku?.skuId ?? '',
      region: w.sku?.region ?? null,
      unit: w.unit.trim(),
      baseQuantity: num(w.baseQuantity),
      growthPerQuarter: num(w.growthPerQuarter),
      efficiency: num(w.efficiency),
      ...(w.fallback && { fallback: ref(w.fallback) }),
    })),
  };
}

const sameText = (a: string | null, b: string | null) =>
  (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/** Whether a catalogue row is the price of a SKU reference. */
const isPriceOf = (p: CataloguePrice, r: SkuPick) =>
  sameText(p.provider, r.provider) &&
  p.skuId.trim() === r.skuId.trim() &&
  (r.region === null || sameText(p.region, r.region));

/**
 * The searchable SKU picker, an ARIA 1.2 combobox: typing searches GET /v1/prices (SKU ids
 * and provider names), Down/Up move through the list, Enter picks, Escape closes; typing after
 * a pick clears it (a SKU comes from the catalogue or not at all).
 */
function SkuPicker(props: {
  readonly id: string;
  readonly label: string;
  readonly locale: Locale;
  readonly asOf: string;
  readonly value: SkuPick | null;
  readonly invalid: boolean;
  readonly describedBy: string;
  readonly onPick: (p: CataloguePrice | null) => void;
}) {
  const { id, label, locale, asOf, value, invalid, describedBy, onPick } = props;
  const [text, setText] = useState(value?.skuId ?? '');
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<{
    items: CataloguePrice[];
    total: number;
    ambiguous: number;
  } | null>(null);
  const [active, setActive] = useState(0);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const listId = `${id}-list`;

  useEffect(() => setText(value?.skuId ?? ''), [value?.skuId, value?.provider, value?.region]);

  const search = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    const n = ++seq.current;
    setFound(null);
    timer.current = setTimeout(() => {
      const query = new URLSearchParams({ asOf, q: q.trim(), limit: '20' });
      api<{ items: CataloguePrice[]; total: number; ambiguous: number }>(
        'GET',
        `/v1/prices?${query}`,
      )
        .then((r) => {
          if (n !== seq.current) return;
          setFound(r);
          setActive(0);
        })
        .catch(() => n === seq.current && setFound({ items: [], total: 0, ambiguous: 0 }));
    }, 200);
  };
  const pick = (p: CataloguePrice) => {
    onPick(p);
    setText(p.skuId);
    setOpen(false);
  };
  const items = found?.items ?? [];

  return (
    <div class="picker">
      <input
        id={id}
        type="text"
        role="combobox"
        aria-label={label}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && items[active] ? `${listId}-${active}` : undefined}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        autocomplete="off"
        spellcheck={false}
        value={text}
        onInput={(e) => {
          const v = (e.target as HTMLInputElement).value;
          setText(v);
          if (value) onPick(null);
          setOpen(true);
          search(v);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            if (!open) {
              setOpen(true);
              search(text);
            } else setActive((a) => Math.min(a + 1, Math.max(items.length - 1, 0)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && open) {
            e.preventDefault();
            const p = items[active];
            if (p) pick(p);
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            setOpen(false);
          }
        }}
        onBlur={() => setOpen(false)}
      />
      {open && (
        <div id={listId} role="listbox" aria-label={label} class="options">
          {found === null && (
            <div class="muted" aria-disabled="true">
              {te(locale, 'searching')}
            </div>
          )}
          {found !== null && items.length === 0 && (
            <div class="muted" aria-disabled="true">
              {te(locale, 'noMatch')}
            </div>
          )}
          {items.map((p, i) => (
            <div
              key={`${p.provider}|${p.skuId}|${p.region ?? ''}`}
              id={`${listId}-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              class={i === active ? 'active' : ''}
              // Before the input's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(p);
              }}
            >
              <span class="sku">{p.skuId}</span>{' '}
              <span class="muted">
                {p.provider}
                {p.region ? ` · ${p.region}` : ''} · {p.unit}
              </span>
            </div>
          ))}
          {found !== null && found.total > items.length && (
            <div class="muted small" aria-disabled="true">
              {te(locale, 'moreMatches', { shown: items.length, total: found.total })}
            </div>
          )}
          {found !== null && found.ambiguous > 0 && (
            <div class="muted small ambiguous" aria-disabled="true">
              {te(locale, 'ambiguousMatches', { n: found.ambiguous })}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** Where an issue of the API belongs in the form: `workloads.2.unit` → "w.<key>.unit". */
function slotOf(f: Form, field: string | null): string | null {
  if (!field) return null;
  const parts = field.split('.');
  const [head, second, third, fourth] = parts;
  const at = <T extends { key: number }>(list: readonly T[], i: string | undefined) =>
    i !== undefined && /^\d+$/.test(i) ? list[Number(i)] : undefined;
  if (head === 'workloads') {
    const row = at(f.workloads, second);
    if (!row) return 'workloads';
    if (third === 'fallback') return `w.${row.key}.fallback`;
    if (third === 'provider' || third === 'skuId' || third === 'region') return `w.${row.key}.sku`;
    return `w.${row.key}.${third ?? 'id'}`;
  }
  if (head === 'providers') {
    const row = at(f.providers, second);
    return row ? `p.${row.key}.${third === 'jurisdiction' ? 'b' : 'a'}` : 'providers';
  }
  if (head === 'fx' || head === 'budget') {
    const list = head === 'fx' ? f.fx : f.budget;
    const row = list.find((r) => r.a.trim().toUpperCase() === (second ?? '').toUpperCase());
    return row ? `${head}.${row.key}.${fourth === undefined ? 'b' : 'a'}` : head;
  }
  return head ?? null;
}

/**
 * The assumptions editor: a form (name, quarters, fiscal calendar, currency and FX, budget,
 * providers) and a table of workloads whose SKUs are picked from GET /v1/prices as of
 * `asOf`, the unit checked as they are picked. Saving posts the document the form built to
 * POST /v1/assumptions; the service's issues are shown at the fields they name.
 */
export function AssumptionsEditor(props: {
  readonly locale: Locale;
  readonly asOf: string;
  /** A stored set to edit (its next version is saved), or null for a new one. */
  readonly setId: string | null;
  readonly onSaved: (set: SavedSet) => void;
  readonly onClose: () => void;
}) {
  const { locale, asOf, setId, onSaved, onClose } = props;
  const s = (k: EditorKey, vars?: Readonly<Record<string, string | number>>) => te(locale, k, vars);
  const [form, setForm] = useState<Form | null>(setId ? null : EMPTY);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ message: string; list: readonly Issue[] } | null>(null);
  const [blocked, setBlocked] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<SavedSet | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // A stored set: its document, then the price of each SKU it names (for the unit check).
  useEffect(() => {
    if (!setId) return;
    let live = true;
    api<StoredSet>('GET', `/v1/assumptions/${encodeURIComponent(setId)}`)
      .then(async (set) => {
        const loaded = formOf(locale, set);
        const priced = async (r: SkuPick | null): Promise<SkuPick | null> => {
          if (!r) return r;
          const q = new URLSearchParams({ asOf, provider: r.provider, q: r.skuId, limit: '50' });
          const found = await api<{ items: CataloguePrice[] }>('GET', `/v1/prices?${q}`).catch(
            () => ({ items: [] as CataloguePrice[] }),
          );
          return { ...r, price: found.items.find((p) => isPriceOf(p, r)) ?? null };
        };
        const workloads = await Promise.all(
          loaded.workloads.map(async (w) => ({
            ...w,
            sku: await priced(w.sku),
            fallback: await priced(w.fallback),
          })),
        );
        if (live) setForm({ ...loaded, workloads });
      })
      .catch((e: Error) => live && setLoadError(e.message));
    return () => {
      live = false;
    };
  }, [setId]);

  useEffect(() => heading.current?.focus(), []);

  if (loadError !== null)
    return (
      <p role="alert" class="error">
        {t(locale, 'failed', { message: loadError })}
      </p>
    );
  if (form === null) return <p>{s('loadingSet')}</p>;

  const update = (change: Partial<Form>) => setForm({ ...form, ...change });
  const updateRow = (k: number, change: Partial<WorkloadRow>) =>
    update({ workloads: form.workloads.map((w) => (w.key === k ? { ...w, ...change } : w)) });
  const updatePair = (list: 'fx' | 'budget' | 'providers', k: number, change: Partial<Pair>) =>
    update({ [list]: form[list].map((r) => (r.key === k ? { ...r, ...change } : r)) });
  const removePair = (list: 'fx' | 'budget' | 'providers', k: number) =>
    update({ [list]: form[list].filter((r) => r.key !== k) });
  const addPair = (list: 'fx' | 'budget' | 'providers') =>
    update({ [list]: [...form[list], { key: key(), a: '', b: '' }] });

  /** Picking a SKU fills the unit and category; its provider joins the providers' list. */
  const pickSku = (row: WorkloadRow, p: CataloguePrice | null, which: 'sku' | 'fallback') => {
    const pick: SkuPick | null = p
      ? { provider: p.provider, skuId: p.skuId, region: p.region, price: p }
      : null;
    const change: Partial<WorkloadRow> =
      which === 'sku' && p ? { sku: pick, unit: p.unit, category: p.category } : { [which]: pick };
    const workloads = form.workloads.map((w) => (w.key === row.key ? { ...w, ...change } : w));
    const known = p && form.providers.some((x) => sameText(x.a, p.provider));
    setForm({
      ...form,
      workloads,
      providers:
        p && !known ? [...form.providers, { key: key(), a: p.provider, b: '' }] : form.providers,
    });
  };

  const mismatch = (w: WorkloadRow, r: SkuPick | null) =>
    r?.price && w.unit.trim() !== '' && w.unit.trim() !== r.price.unit ? r.price.unit : null;

  // Issues of the last refusal, by the slot of the form they name.
  const bySlot = new Map<string, string[]>();
  for (const i of issues?.list ?? []) {
    const slot = slotOf(form, i.field);
    // An issue without a field is in the list under the save button only.
    if (slot !== null) bySlot.set(slot, [...(bySlot.get(slot) ?? []), i.message]);
  }
  const errorId = (slot: string) => `ed-err-${slot.replace(/\./g, '-')}`;
  /** aria-invalid and aria-describedby of a field, and its messages under it. */
  const field = (slot: string, extra: string[] = []) => {
    const messages = bySlot.get(slot) ?? [];
    const ids = [...extra, ...(messages.length > 0 ? [errorId(slot)] : [])];
    return {
      attrs: {
        'aria-invalid': messages.length > 0,
        ...(ids.length > 0 && { 'aria-describedby': ids.join(' ') }),
      },
      note:
        messages.length > 0 ? (
          <span class="field-error" id={errorId(slot)}>
            {messages.join(' ')}
          </span>
        ) : null,
    };
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(null);
    const wrong = form.workloads.filter(
      (w) => mismatch(w, w.sku) !== null || mismatch(w, w.fallback) !== null,
    ).length;
    setBlocked(wrong > 0 ? wrong : null);
    if (wrong > 0) return;
    setSaving(true);
    setIssues(null);
    try {
      const created = await api<SavedSet>('POST', '/v1/assumptions', {
        body: documentOf(locale, form),
      });
      setSaved(created);
      onSaved(created);
    } catch (err) {
      const list =
        err instanceof ApiError ? ((err.details['issues'] as Issue[] | undefined) ?? []) : [];
      setIssues({ message: (err as Error).message, list });
    } finally {
      setSaving(false);
    }
  };

  const general = {
    name: field('name'),
    startQuarter: field('startQuarter', ['ed-start-hint']),
    horizon: field('horizonQuarters'),
    fyStart: field('fiscalYearStartMonth'),
    currency: field('reportingCurrency', ['ed-currency-hint']),
  };
  const listError = (slot: string) => field(slot).note;
  const col = (k: EditorKey, n: number) => s('rowLabel', { column: s(k), n });

  return (
    <section class="editor" aria-labelledby="editor-title">
      <div class="editor-head">
        <h2 id="editor-title" tabIndex={-1} ref={heading}>
          {s('heading')}
        </h2>
        <button type="button" class="secondary" onClick={onClose}>
          {s('close')}
        </button>
      </div>
      <p class="muted small">{s('intro', { quarter: quarter(locale, asOf) })}</p>
      <form onSubmit={(e) => void save(e)} noValidate>
        <fieldset class="general">
          <legend>{s('general')}</legend>
          <div class="field wide">
            <label for="ed-name">{s('name')}</label>
            <input
              id="ed-name"
              value={form.name}
              {...general.name.attrs}
              onInput={(e) => update({ name: (e.target as HTMLInputElement).value })}
            />
            {general.name.note}
          </div>
          <div class="field">
            <label for="ed-start">{s('startQuarter')}</label>
            <input
              id="ed-start"
              value={form.startQuarter}
              size={8}
              {...general.startQuarter.attrs}
              onInput={(e) => update({ startQuarter: (e.target as HTMLInputElement).value })}
            />
            <span class="hint" id="ed-start-hint">
              {s('startQuarterHint')}
            </span>
            {general.startQuarter.note}
          </div>
          <div class="field">
            <label for="ed-horizon">{s('horizon')}</label>
            <input
              id="ed-horizon"
              inputMode="numeric"
              size={4}
              value={form.horizon}
              {...general.horizon.attrs}
              onInput={(e) => update({ horizon: (e.target as HTMLInputElement).value })}
            />
            {general.horizon.note}
          </div>
          <div class="field">
            <label for="ed-fy">{s('fyStart')}</label>
            <select
              id="ed-fy"
              value={form.fyStart}
              {...general.fyStart.attrs}
              onChange={(e) => update({ fyStart: (e.target as HTMLSelectElement).value })}
            >
              {Array.from({ length: 12 }, (_, i) => (
                <option key={i} value={String(i + 1)}>
                  {s(`month${i + 1}` as EditorKey)}
                </option>
              ))}
            </select>
            {general.fyStart.note}
          </div>
          <div class="field">
            <label for="ed-currency">{s('currency')}</label>
            <input
              id="ed-currency"
              size={5}
              maxLength={3}
              value={form.currency}
              {...general.currency.attrs}
              onInput={(e) => update({ currency: (e.target as HTMLInputElement).value })}
            />
            <span class="hint" id="ed-currency-hint">
              {s('currencyHint')}
            </span>
            {general.currency.note}
          </div>
        </fieldset>

        <div class="lists">
          <PairList
            locale={locale}
            name="fx"
            title={s('fx')}
            note={s('fxNote')}
            aLabel={s('fxCurrency')}
            bLabel={s('fxRate')}
            add={s('addFx')}
            remove={(r) => s('removeFx', { currency: r.a || '…' })}
            rows={form.fx}
            field={field}
            listError={listError('fx')}
            onChange={(k, c) => updatePair('fx', k, c)}
            onAdd={() => addPair('fx')}
            onRemove={(k) => removePair('fx', k)}
          />
          <PairList
            locale={locale}
            name="budget"
            title={s('budget')}
            aLabel={s('budgetYear')}
            bLabel={s('budgetAmount')}
            add={s('addBudget')}
            remove={(r) => s('removeBudget', { year: r.a || '…' })}
            rows={form.budget}
            field={field}
            listError={listError('budget')}
            onChange={(k, c) => updatePair('budget', k, c)}
            onAdd={() => addPair('budget')}
            onRemove={(k) => removePair('budget', k)}
          />
          <PairList
            locale={locale}
            name="p"
            title={s('providers')}
            note={s('providersNote')}
            aLabel={s('providerName')}
            bLabel={s('jurisdiction')}
            add={s('addProvider')}
            remove={(r) => s('removeProvider', { name: r.a || '…' })}
            rows={form.providers}
            field={field}
            listError={listError('providers')}
            onChange={(k, c) => updatePair('providers', k, c)}
            onAdd={() => addPair('providers')}
            onRemove={(k) => removePair('providers', k)}
          />
        </div>

        <h3>{s('workloads')}</h3>
        <p class="muted small" id="ed-pick-hint">
          {s('pickHint')}
        </p>
        {listError('workloads')}
        <table class="workloads" id="ed-workloads">
          <caption class="visually-hidden">{s('workloadsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{s('col')}</th>
              <th scope="col">{s('idAndName')}</th>
              <th scope="col">{s('category')}</th>
              <th scope="col">{s('sku')}</th>
              <th scope="col">{s('unit')}</th>
              <th scope="col">{s('baseQuantity')}</th>
              <th scope="col">{s('growth')}</th>
              <th scope="col">{s('efficiency')}</th>
              <th scope="col">{s('fallback')}</th>
              <th scope="col">
                <span class="visually-hidden">{s('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {form.workloads.map((w, i) => {
              const n = i + 1;
              const slot = (f: string) => `w.${w.key}.${f}`;
              const unitOff = mismatch(w, w.sku);
              const fallbackOff = mismatch(w, w.fallback);
              const unitNote = `ed-w${i}-unit-note`;
              const skuNote = `ed-w${i}-sku-note`;
              const fbNote = `ed-w${i}-fallback-note`;
              const f = {
                id: field(slot('id')),
                name: field(slot('name')),
                category: field(slot('category')),
                sku: field(slot('sku'), [skuNote, 'ed-pick-hint']),
                unit: field(slot('unit'), unitOff || fallbackOff ? [unitNote] : []),
                base: field(slot('baseQuantity')),
                growth: field(slot('growthPerQuarter')),
                eff: field(slot('efficiency')),
                fallback: field(slot('fallback'), [fbNote, 'ed-pick-hint']),
              };
              const describe = (r: SkuPick | null, none: string) =>
                !r
                  ? none
                  : r.price
                    ? s(r.price.region ? 'pickedRegion' : 'picked', {
                        provider: r.price.provider,
                        region: r.price.region ?? '',
                        unit: r.price.unit,
                        price: priceText(locale, r.price.unitPrice),
                        currency: r.price.currency,
                      })
                    : `${r.provider}${r.region ? `, ${r.region}` : ''} — ${s('unknownSku', {
                        quarter: quarter(locale, asOf),
                      })}`;
              return (
                <tr
                  key={w.key}
                  data-row={i}
                  data-mismatch={unitOff || fallbackOff ? 'true' : undefined}
                >
                  <th scope="row">{n}</th>
                  <td class="workload">
                    <input
                      id={`ed-w${i}-id`}
                      class="id"
                      aria-label={col('id', n)}
                      value={w.id}
                      {...f.id.attrs}
                      onInput={(e) =>
                        updateRow(w.key, { id: (e.target as HTMLInputElement).value })
                      }
                    />
                    {f.id.note}
                    <input
                      id={`ed-w${i}-name`}
                      class="name"
                      aria-label={col('wname', n)}
                      value={w.name}
                      {...f.name.attrs}
                      onInput={(e) =>
                        updateRow(w.key, { name: (e.target as HTMLInputElement).value })
                      }
                    />
                    {f.name.note}
                  </td>
                  <td>
                    <select
                      id={`ed-w${i}-category`}
                      aria-label={col('category', n)}
                      value={w.category}
                      {...f.category.attrs}
                      onChange={(e) =>
                        updateRow(w.key, {
                          category: (e.target as HTMLSelectElement).value as Category,
                        })
                      }
                    >
                      {CATEGORIES.map((c) => (
                        <option key={c} value={c}>
                          {s(`cat.${c}` as EditorKey)}
                        </option>
                      ))}
                    </select>
                    {f.category.note}
                  </td>
                  <td class="sku">
                    <SkuPicker
                      id={`ed-w${i}-sku`}
                      label={col('sku', n)}
                      locale={locale}
                      asOf={asOf}
                      value={w.sku}
                      invalid={f.sku.attrs['aria-invalid']}
                      describedBy={f.sku.attrs['aria-describedby'] ?? ''}
                      onPick={(p) => pickSku(w, p, 'sku')}
                    />
                    <span class="hint" id={skuNote} title={w.sku?.price?.unitPrice}>
                      {describe(w.sku, s('noSku'))}
                    </span>
                    {f.sku.note}
                  </td>
                  <td class={unitOff || fallbackOff ? 'unit mismatch' : 'unit'}>
                    <input
                      id={`ed-w${i}-unit`}
                      class="unit"
                      aria-label={col('unit', n)}
                      value={w.unit}
                      {...f.unit.attrs}
                      onInput={(e) =>
                        updateRow(w.key, { unit: (e.target as HTMLInputElement).value })
                      }
                    />
                    {(unitOff || fallbackOff) && (
                      <span class="field-error" id={unitNote} role="status">
                        {unitOff
                          ? s('unitMismatch', { skuUnit: unitOff, unit: w.unit.trim() })
                          : s('fallbackUnitMismatch', {
                              skuUnit: fallbackOff ?? '',
                              unit: w.unit.trim(),
                            })}
                      </span>
                    )}
                    {f.unit.note}
                  </td>
                  <td>
                    <input
                      id={`ed-w${i}-base`}
                      class="num"
                      inputMode="decimal"
                      aria-label={col('baseQuantity', n)}
                      value={w.baseQuantity}
                      {...f.base.attrs}
                      onInput={(e) =>
                        updateRow(w.key, { baseQuantity: (e.target as HTMLInputElement).value })
                      }
                    />
                    {f.base.note}
                  </td>
                  <td>
                    <input
                      id={`ed-w${i}-growth`}
                      class="num short"
                      inputMode="decimal"
                      aria-label={col('growth', n)}
                      value={w.growthPerQuarter}
                      {...f.growth.attrs}
                      onInput={(e) =>
                        updateRow(w.key, {
                          growthPerQuarter: (e.target as HTMLInputElement).value,
                        })
                      }
                    />
                    {f.growth.note}
                  </td>
                  <td>
                    <input
                      id={`ed-w${i}-efficiency`}
                      class="num short"
                      inputMode="decimal"
                      aria-label={col('efficiency', n)}
                      value={w.efficiency}
                      {...f.eff.attrs}
                      onInput={(e) =>
                        updateRow(w.key, { efficiency: (e.target as HTMLInputElement).value })
                      }
                    />
                    {f.eff.note}
                  </td>
                  <td class="sku">
                    <SkuPicker
                      id={`ed-w${i}-fallback`}
                      label={col('fallback', n)}
                      locale={locale}
                      asOf={asOf}
                      value={w.fallback}
                      invalid={f.fallback.attrs['aria-invalid']}
                      describedBy={f.fallback.attrs['aria-describedby'] ?? ''}
                      onPick={(p) => pickSku(w, p, 'fallback')}
                    />
                    <span class="hint" id={fbNote} title={w.fallback?.price?.unitPrice}>
                      {describe(w.fallback, s('noFallback'))}
                    </span>
                    {f.fallback.note}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="secondary small"
                      aria-label={s('removeWorkload', { n })}
                      disabled={form.workloads.length === 1}
                      onClick={() =>
                        update({ workloads: form.workloads.filter((x) => x.key !== w.key) })
                      }
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p>
          <button
            type="button"
            class="secondary"
            onClick={() => update({ workloads: [...form.workloads, emptyRow()] })}
          >
            {s('addWorkload')}
          </button>
        </p>
        <div class="editor-save">
          <button type="submit" id="ed-save" disabled={saving}>
            {saving ? s('saving') : s('save')}
          </button>
          {blocked !== null && (
            <p role="alert" class="error" id="ed-blocked">
              {s('mismatchesFirst', { count: blocked })}
            </p>
          )}
          {issues !== null && (
            <div role="alert" class="error" id="ed-issues">
              <p>{s('refused', { message: issues.message })}</p>
              {issues.list.length > 0 && <p>{s('issuesTitle', { count: issues.list.length })}</p>}
              {issues.list.length > 0 && (
                <ul>
                  {issues.list.map((i, n) => (
                    <li key={n}>
                      {i.field ? <code>{i.field}</code> : null}
                      {i.field ? ': ' : ''}
                      {i.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {saved && (
            <p role="status" class="ok" id="ed-saved" data-id={saved.id}>
              {s('savedSet', { name: saved.name, version: saved.version })}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}

/** A list of two-field rows (FX, budget, providers) with add and remove buttons. */
function PairList(props: {
  readonly locale: Locale;
  readonly name: 'fx' | 'budget' | 'p';
  readonly title: string;
  readonly note?: string;
  readonly aLabel: string;
  readonly bLabel: string;
  readonly add: string;
  readonly remove: (r: Pair) => string;
  readonly rows: readonly Pair[];
  readonly field: (
    slot: string,
    extra?: string[],
  ) => { attrs: Record<string, unknown>; note: unknown };
  readonly listError: unknown;
  readonly onChange: (key: number, change: Partial<Pair>) => void;
  readonly onAdd: () => void;
  readonly onRemove: (key: number) => void;
}) {
  const { name, title, note, aLabel, bLabel, rows, field } = props;
  const numeric = name !== 'p';
  return (
    <fieldset class="pairs" id={`ed-${name}`}>
      <legend>{title}</legend>
      {note && <p class="muted small">{note}</p>}
      {props.listError as preact.ComponentChildren}
      {rows.map((r, i) => {
        const fa = field(`${name}.${r.key}.a`);
        const fb = field(`${name}.${r.key}.b`);
        return (
          <div class="pair" key={r.key}>
            <input
              id={`ed-${name}${i}-a`}
              aria-label={`${aLabel} ${i + 1}`}
              value={r.a}
              size={numeric ? 7 : 14}
              {...fa.attrs}
              onInput={(e) => props.onChange(r.key, { a: (e.target as HTMLInputElement).value })}
            />
            <input
              id={`ed-${name}${i}-b`}
              aria-label={`${bLabel} ${i + 1}`}
              value={r.b}
              size={numeric ? 10 : 6}
              {...(numeric && { inputMode: 'decimal' as const })}
              {...fb.attrs}
              onInput={(e) => props.onChange(r.key, { b: (e.target as HTMLInputElement).value })}
            />
            <button
              type="button"
              class="secondary small"
              aria-label={props.remove(r)}
              onClick={() => props.onRemove(r.key)}
            >
              ×
            </button>
            {fa.note as preact.ComponentChildren}
            {fb.note as preact.ComponentChildren}
          </div>
        );
      })}
      <button type="button" class="secondary small" onClick={props.onAdd}>
        {props.add}
      </button>
    </fieldset>
  );
}
