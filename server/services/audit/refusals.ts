/** The window in which refusals are counted against the bounds below. */
export const REFUSAL_WINDOW_MS = 60_000;
/** Refusals from one client address (its group) written one row each per window. */
export const REFUSALS_PER_ADDRESS = 20;
/** Refusals from all addresses written one row each per window. */
export const REFUSALS_IN_ALL = 600;
/** Addresses whose refusals beyond the bounds are counted apart; the others share one count. */
const MAX_COUNTED_ADDRESSES = 1000;
/** The address group of the count shared by addresses beyond {@link MAX_COUNTED_ADDRESSES}. */
export const OTHER_ADDRESSES = '*';

/** The refusals from one address group beyond the bounds in one window: one row of the trail. */
export interface RefusalCount {
  readonly group: string;
  count: number;
  readonly first: number;
  last: number;
  /** How many of each status code, e.g. `{ "401": 19980, "429": 3 }`. */
  readonly statuses: Record<string, number>;
}

export type RefusalBound = ReturnType<typeof refusalBound>;

/**
 * Keeps a flood of refused requests (bad keys, keys below the route's role, anonymous
 * requests) from becoming a flood of audit rows: in each window of a minute, the first
 * `perAddress` refusals of an address group and the first `inAll` of all groups are written
 * one row each; the rest are counted per group and written as one row per group when the
 * window ends (`due`), or when the service stops (`drain`). Rows per window are thus at most
 * `inAll` + 1 001, however many requests are refused. In memory, per instance.
 */
export function refusalBound(
  opts: { readonly perAddress?: number; readonly inAll?: number; readonly now?: () => number } = {},
) {
  const perAddress = opts.perAddress ?? REFUSALS_PER_ADDRESS;
  const inAll = opts.inAll ?? REFUSALS_IN_ALL;
  const now = opts.now ?? (() => Date.now());
  let windowStart = now();
  let written = 0;
  const writtenBy = new Map<string, number>();
  let counted = new Map<string, RefusalCount>();
  let due: RefusalCount[] = [];

  /** Starts a new window when the current one has ended; its counts become due. */
  function roll(t: number) {
    if (t - windowStart < REFUSAL_WINDOW_MS) return;
    windowStart = t;
    written = 0;
    writtenBy.clear();
    due = due.concat([...counted.values()]);
    counted = new Map();
  }

  return {
    /** Whether a refusal from `group` gets a row of its own; if not, it is counted. */
    admit(group: string, statusCode: number): boolean {
      const t = now();
      roll(t);
      const mine = writtenBy.get(group) ?? 0;
      if (mine < perAddress && written < inAll) {
        writtenBy.set(group, mine + 1);
        written += 1;
        return true;
      }
      const key =
        counted.has(group) || counted.size < MAX_COUNTED_ADDRESSES ? group : OTHER_ADDRESSES;
      let c = counted.get(key);
      if (!c) {
        c = { group: key, count: 0, first: t, last: t, statuses: {} };
        counted.set(key, c);
      }
      c.count += 1;
      c.last = t;
      c.statuses[statusCode] = (c.statuses[statusCode] ?? 0) + 1;
      return false;
    },

    /** The counts of the windows that have ended, once each. */
    due(): RefusalCount[] {
      roll(now());
      const out = due;
      due = [];
      return out;
    },

    /** Every count, the current window's included (when the service stops). */
    drain(): RefusalCount[] {
      const out = due.concat([...counted.values()]);
      due = [];
      counted = new Map();
      return out;
    },
  };
}
