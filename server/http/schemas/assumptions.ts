import { z } from 'zod';
import { assumptionsSchema } from '../../../models/assumptions.ts';
import { paging } from './common.ts';

export const assumptionSetSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.int(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const assumptionSetSchema = assumptionSetSummarySchema.extend({
  assumptions: assumptionsSchema,
});

export const listAssumptionsQuerySchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  ...paging(50, 500),
});

export const assumptionSetListSchema = z.object({
  items: z.array(assumptionSetSummarySchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});
