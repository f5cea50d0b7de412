import type { z } from 'zod';
import { fail, type InputIssue, ok, type Result } from './result.ts';

/** Keys that would reach an object's prototype if copied naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The paths of every `__proto__`, `constructor` or `prototype` key in a parsed JSON value,
 * and of any nesting deeper than `maxDepth`.
 * @example forbiddenKeys(JSON.parse('{"a":{"__proto__":{}}}')) //=> [['a', '__proto__']]
 */
export function forbiddenKeys(value: unknown, maxDepth = 32): (string | number)[][] {
  const found: (string | number)[][] = [];
  walk(value, [], maxDepth, found);
  return found;
}

/**
 * Depth first through `v`, at `path` (one array, grown and shrunk on the way: every request
 * body is walked, and a copy is made only of the paths found).
 */
function walk(
  v: unknown,
  path: (string | number)[],
  maxDepth: number,
  found: (string | number)[][],
) {
  if (found.length >= 100 || v === null || typeof v !== 'object') return;
  if (path.length > maxDepth) {
    found.push([...path]);
    return;
  }
  if (Array.isArray(v))
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      walk(v[i], path, maxDepth, found);
      path.pop();
    }
  else
    for (const k of Object.keys(v)) {
      path.push(k);
      if (FORBIDDEN_KEYS.has(k)) found.push([...path]);
      else walk((v as Record<string, unknown>)[k], path, maxDepth, found);
      path.pop();
    }
}

/**
 * Why `s` cannot be stored as text, or `null`: PostgreSQL refuses a NUL character in text
 * (22021) and a lone UTF-16 surrogate cannot be encoded as UTF-8 (22P05 on the way back).
 * @example hostileText('a\u0000b') //=> 'contains a NUL character (\\u0000)'
 */
export function hostileText(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed())
    return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return null;
}

/**
 * Every string (key or value) in a parsed JSON value that {@link hostileText} refuses, with
 * its path and why; at most 100.
 * @example hostileStrings({ name: 'a\u0000' }) //=> [{ path: ['name'], message: 'contains a NUL character (\\u0000)' }]
 */
export function hostileStrings(
  value: unknown,
  maxDepth = 32,
): { path: (string | number)[]; message: string }[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  const path: (string | number)[] = [];
  const visit = (v: unknown) => {
    if (found.length >= 100 || path.length > maxDepth) return;
    if (typeof v === 'string') {
      const why = hostileText(v);
      if (why) found.push({ path: [...path], message: why });
    } else if (Array.isArray(v))
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i]);
        path.pop();
      }
    else if (v !== null && typeof v === 'object')
      for (const k of Object.keys(v)) {
        path.push(k);
        const why = hostileText(k);
        if (why) found.push({ path: [...path], message: `its key ${why}` });
        else visit((v as Record<string, unknown>)[k]);
        path.pop();
      }
  };
  visit(value);
  return found;
}

/** A zod error as located input issues (`field` is the dotted path). */
export function zodIssues(error: z.ZodError, file?: string): InputIssue[] {
  return error.issues.map((i) => ({
    ...(file === undefined ? {} : { file }),
    field: i.path.map(String).join('.') || '(root)',
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message:
      i.code === 'invalid_key' && i.issues.length > 0
        ? `${i.issues.map((k) => k.message).join('; ')} (key "${String(i.path.at(-1))}")`
        : i.message,
  }));
}

/**
 * Validates parsed JSON against a schema: forbidden keys first, then NUL characters and lone
 * surrogates in any string (text PostgreSQL cannot store), then the schema.
 * @example validate(assumptionsSchema, JSON.parse(text), 'a.json')
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file?: string,
): Result<z.infer<S>> {
  const bad = forbiddenKeys(value);
  if (bad.length > 0)
    return fail(
      bad.map((path) => ({
        ...(file === undefined ? {} : { file }),
        field: path.join('.'),
        path,
        message:
          path.length > 32
            ? 'is nested too deeply (more than 32 levels)'
            : `the key "${String(path.at(-1))}" is not allowed (it could change an object's prototype)`,
      })),
    );
  const hostile = hostileStrings(value);
  if (hostile.length > 0)
    return fail(
      hostile.map(({ path, message }) => ({
        ...(file === undefined ? {} : { file }),
        field: path.join('.') || '(root)',
        path,
        message,
      })),
    );
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : fail(zodIssues(parsed.error, file));
}
