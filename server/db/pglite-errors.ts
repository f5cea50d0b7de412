/**
 * What went wrong in PGlite, in words. Its file-system errors are Emscripten `ErrnoError`
 * objects carrying only a number (54: not a directory), which print as `[object Object]`.
 * @example pgliteFailure({ name: 'ErrnoError', errno: 54 }) //=> 'file-system error (Emscripten errno 54): is the directory writable, and empty or a PGlite database?'
 */
export function pgliteFailure(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  const errno = (e as { errno?: unknown } | null)?.errno;
  return `file-system error${typeof errno === 'number' ? ` (Emscripten errno ${errno})` : ''}: is the directory writable, and empty or a PGlite database?`;
}
