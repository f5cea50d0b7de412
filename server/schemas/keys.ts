import { z } from 'zod';
import { ROLES } from '../db/schema.ts';

export const roleSchema = z.enum(ROLES);

export const keyInfoSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string().describe('the first characters of the key'),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const newKeySchema = keyInfoSchema.extend({
  key: z.string().describe('the secret: shown once, stored only as a hash'),
});

export const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
});
