import { describe, expect, it } from 'vitest';
import { BLANK, build, fixed, keyed, resolver, rowNumbers } from '../../templates/rows.ts';

describe('keyed rows', () => {
  const lines = [
    BLANK,
    fixed({ cells: [{ v: 'a' }] }, 'a'),
    BLANK,
    keyed('b', (ref) => ({ cells: [{ f: `A${ref('a')}+${ref.on('prices', 'p')}` }] })),
  ];

  it('numbers a line by its place in the list, from row 1', () => {
    const at = rowNumbers('S', lines);
    expect(at('a')).toBe(2); // blank is row 1
    expect(at('b')).toBe(4); // a, blank, b
  });

  it('builds each row with its own rows and another sheet’s', () => {
    const prices = rowNumbers('P', [BLANK, BLANK, fixed({ cells: [] }, 'p')]);
    const none = () => {
      throw new Error('unused');
    };
    const ref = resolver(rowNumbers('S', lines), { inputs: none, prices, calc: none });
    const rows = [...build(lines, ref)];
    expect(rows[3]!.cells[0]!.f).toBe('A2+3');
  });

  it('refuses a key declared twice, and names an unknown key', () => {
    expect(() => rowNumbers('S', [fixed({ cells: [] }, 'x'), fixed({ cells: [] }, 'x')])).toThrow(
      'S: the row key "x" is declared twice',
    );
    expect(() => rowNumbers('S', lines)('c')).toThrow('S: no row has the key "c"');
  });
});
