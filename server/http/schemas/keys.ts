import { z } from 'zod';
import { ROLES } from '../../db/schema.ts';

export const roleSchema = z.enum(ROLES);

export const keyInfoSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  prefix: z
    .string()
    .describe(
      'the first 10 characters of a generated key, to tell keys apart; empty for COSTCAST_ADMIN_KEY, kept as its hash only',
    ),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z
    .string()
    .nullable()
    .describe(
      'when the key, or a browser session opened with it, was last used, to within a minute',
    ),
});

export const newKeySchema = keyInfoSchema.extend({
  key: z.string().describe('the secret: shown once, stored only as a hash'),
});

export const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
});
