import { isIPv4, isIPv6 } from 'node:net';

/**
 * The group a client address is counted in: an IPv4 address alone (an IPv4-mapped IPv6
 * address as its IPv4), an IPv6 address by its /64 — one host or site usually holds a whole
 * /64, and counting each of its 2^64 addresses apart would let it guess without limit.
 * @example addressGroup('2001:db8:1:2:aaaa::1') //=> "2001:db8:1:2::/64"
 * @example addressGroup('::ffff:203.0.113.7') //=> "203.0.113.7"
 */
export function addressGroup(ip: string): string {
  const zone = ip.indexOf('%');
  const address = zone < 0 ? ip : ip.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.split('::');
  const groups = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** The throttle's window: failures are counted per client address and minute. */
export const AUTH_WINDOW_MS = 60_000;
/** Addresses remembered at most (least recently seen dropped first). */
const MAX_ADDRESSES = 10_000;
/** Keys remembered as good per address at most. */
const MAX_TRUSTED_KEYS = 16;

interface AddressState {
  /** When the current window of failures started. */
  windowStart: number;
  failures: number;
  /** Hashes of keys that authenticated from this address: they are never throttled. */
  readonly trusted: Set<string>;
}

/** Deletes the first entry inserted (entries are re-inserted when used: the least recently used). */
function dropOldest<K>(entries: Map<K, unknown> | Set<K>): void {
  for (const key of entries.keys()) {
    entries.delete(key);
    return;
  }
}

export type AuthThrottle = ReturnType<typeof authThrottle>;

/**
 * Failed authentications per client address (its {@link addressGroup}), in fixed windows of a minute from the first
 * failure. Once an address has failed `perMinute` times in its window, a credential from it
 * is refused (429, `blocked` gives the seconds to wait) without being looked up — unless it is
 * a key that has already authenticated from that address (since this process started), which
 * keeps working: a flood of bad keys from an office's shared address does not lock out its
 * users, and a guesser gets no answer about its guesses until the window ends. A valid key
 * never used from that address waits out the window like any other. `perMinute` 0 turns it
 * off. In memory, per instance.
 */
export function authThrottle(opts: { readonly perMinute: number; readonly now?: () => number }) {
  const { perMinute } = opts;
  const now = opts.now ?? (() => Date.now());
  const byAddress = new Map<string, AddressState>();

  /** The state of an address, marked as the most recently seen. */
  function state(address: string): AddressState {
    let s = byAddress.get(address);
    if (s) byAddress.delete(address);
    else {
      s = { windowStart: now(), failures: 0, trusted: new Set() };
      if (byAddress.size >= MAX_ADDRESSES) dropOldest(byAddress);
    }
    byAddress.set(address, s);
    return s;
  }

  /** Starts a new window when the current one has ended. */
  function roll(s: AddressState, t: number) {
    if (t - s.windowStart >= AUTH_WINDOW_MS) {
      s.windowStart = t;
      s.failures = 0;
    }
  }

  return {
    enabled: perMinute > 0,

    /**
     * Seconds until `address` may try again when it is over its limit and `keyHash` has not
     * authenticated from it before; otherwise null (the key is to be checked).
     */
    blocked(address: string, keyHash: string): number | null {
      if (perMinute <= 0) return null;
      const s = byAddress.get(address);
      if (!s) return null;
      const t = now();
      roll(s, t);
      if (s.failures < perMinute || s.trusted.has(keyHash)) return null;
      return Math.max(1, Math.ceil((s.windowStart + AUTH_WINDOW_MS - t) / 1000));
    },

    /** Counts a failure; true when it is the one that reaches the limit (log it once). */
    failed(address: string): { failures: number; limitReached: boolean } {
      if (perMinute <= 0) return { failures: 0, limitReached: false };
      const s = state(address);
      const t = now();
      roll(s, t);
      if (s.failures === 0) s.windowStart = t;
      s.failures += 1;
      return { failures: s.failures, limitReached: s.failures === perMinute };
    },

    /** Remembers that `keyHash` authenticated from `address`. */
    succeeded(address: string, keyHash: string): void {
      if (perMinute <= 0) return;
      const s = state(address);
      if (s.trusted.has(keyHash)) return;
      if (s.trusted.size >= MAX_TRUSTED_KEYS) dropOldest(s.trusted);
      s.trusted.add(keyHash);
    },
  };
}
