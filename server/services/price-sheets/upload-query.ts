import { z } from 'zod';
import { providerName, quarterLabel, unprintableText } from '../../../models/fields.ts';
import { SHEET_KINDS } from '../../../models/freshness.ts';

/** Query parameters of a raw-body upload (multipart uploads send them as fields). */
export const uploadQuerySchema = z.object({
  quarter: quarterLabel.optional().describe('the as-of quarter, e.g. 2026-Q3 (required)'),
  provider: providerName().optional().describe('fills ProviderName where rows have none'),
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .superRefine((s, ctx) => {
      // A terminal escape or a line break in a file name is never a file's name.
      const why = unprintableText(s);
      if (why) ctx.addIssue({ code: 'custom', message: why });
    })
    .optional()
    .describe('the file name to record (printable text)'),
  kind: z
    .enum(SHEET_KINDS)
    .optional()
    .describe(
      'contract, provider or catalogue; default: catalogue for a LiteLLM catalogue, contract when a row has a ContractedUnitPrice, else provider',
    ),
});
