import { describe, expect, it } from 'vitest';
import {
  OTHER_ADDRESSES,
  REFUSAL_WINDOW_MS,
  refusalBound,
} from '../../server/services/audit/refusals.ts';

/** A bound on a clock the test moves. */
function bound(perAddress: number, inAll: number) {
  let now = 1_000_000;
  const b = refusalBound({ perAddress, inAll, now: () => now });
  return { b, advance: (ms: number) => (now += ms), at: () => now };
}

describe('the bound on refusals written one row each', () => {
  it('writes the first perAddress of an address a window, counts the rest', () => {
    const { b } = bound(3, 100);
    const admitted = Array.from({ length: 10 }, () => b.admit('203.0.113.7', 401));
    expect(admitted).toEqual([true, true, true, false, false, false, false, false, false, false]);
    // Another address has its own allowance.
    expect(b.admit('198.51.100.1', 401)).toBe(true);
    // Nothing is due before the window ends.
    expect(b.due()).toEqual([]);
  });

  it('writes the counts once the window has ended, once', () => {
    const { b, advance, at } = bound(2, 100);
    const start = at();
    for (let i = 0; i < 5; i++) b.admit('a', i < 4 ? 401 : 429);
    advance(REFUSAL_WINDOW_MS - 1);
    expect(b.due()).toEqual([]);
    advance(1);
    // 5 refusals, 2 written: 3 counted, 2 × 401 and 1 × 429 (the first two 401s were written).
    expect(b.due()).toEqual([
      { group: 'a', count: 3, first: start, last: start, statuses: { '401': 2, '429': 1 } },
    ]);
    expect(b.due()).toEqual([]);
    // A new window: the address may be written again.
    expect(b.admit('a', 401)).toBe(true);
  });

  it('bounds all addresses together by inAll', () => {
    const { b } = bound(5, 12);
    const admitted = Array.from({ length: 20 }, (_, i) => b.admit(`10.0.0.${i}`, 401));
    // 12 written, the 8 others counted one each by address.
    expect(admitted.filter(Boolean)).toHaveLength(12);
    const counts = b.drain();
    expect(counts.map((c) => c.group)).toEqual(
      Array.from({ length: 8 }, (_, i) => `10.0.0.${i + 12}`),
    );
    expect(counts.every((c) => c.count === 1)).toBe(true);
  });

  it('counts addresses beyond 1 000 together, so its memory stays bounded', () => {
    const { b } = bound(0, 0);
    for (let i = 0; i < 1500; i++) b.admit(`addr-${i}`, 401);
    b.admit('addr-0', 401);
    const counts = b.drain();
    expect(counts).toHaveLength(1001);
    expect(counts.find((c) => c.group === 'addr-0')?.count).toBe(2);
    expect(counts.find((c) => c.group === OTHER_ADDRESSES)?.count).toBe(500);
    // 20 000 refusals: rows written = 0 + 1 001 at most, whatever their number.
    expect(counts.reduce((n, c) => n + c.count, 0)).toBe(1501);
    expect(b.drain()).toEqual([]);
  });
});
