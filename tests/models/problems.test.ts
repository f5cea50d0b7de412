import { describe, expect, it } from 'vitest';
import { joinProblems } from '../../models/problems.ts';
import { tinyAssumptions, tinySheet } from './tiny.ts';

/** The tiny assumptions as raw JSON, to be broken in places. */
const raw = () => JSON.parse(JSON.stringify(tinyAssumptions()));

describe('joinProblems: the join checks of assumptions that failed the schema', () => {
  it('checks the workloads that pass the schema, at their own index', () => {
    const a = raw();
    a.workloads[0].efficiency = '1.5'; // fails the schema: left to the schema's message
    a.workloads[1].skuId = 'acme-vault'; // valid, but no sheet has it
    const problems = joinProblems(a, [tinySheet]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'workloads.1.skuId', value: 'acme-vault' });
    expect(problems[0]!.message).toContain('SKU "acme-vault" of provider "Acme"');
  });

  it('says nothing of FX while the currency or a rate is itself invalid', () => {
    const a = raw();
    a.fx = { USD: 'ninety cents' };
    expect(joinProblems(a, [tinySheet])).toEqual([]);
    const b = raw();
    b.fx = {};
    // Valid and missing: every USD price lacks its rate (chat, its fallback, store).
    expect(joinProblems(b, [tinySheet]).map((p) => p.field)).toEqual(['fx', 'fx', 'fx']);
  });

  it('finds nothing in valid assumptions that join, or in what is not assumptions', () => {
    expect(joinProblems(raw(), [tinySheet])).toEqual([]);
    expect(joinProblems(null, [tinySheet])).toEqual([]);
    expect(joinProblems({ workloads: 'many' }, [tinySheet])).toEqual([]);
  });
});
