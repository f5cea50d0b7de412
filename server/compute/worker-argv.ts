/**
 * Node flags for a worker thread running `worker`: this process's, plus the TypeScript loader
 * for a TypeScript module when this process has none (tests). A bundled JavaScript worker
 * (dist/, `npm run build`) runs without it.
 */
export function workerExecArgv(worker: URL): string[] {
  const argv = process.execArgv;
  if (!worker.pathname.endsWith('.ts') || argv.some((a) => /(^|[/\\])tsx([/\\]|$)/.test(a)))
    return argv;
  return [...argv, '--import', 'tsx'];
}
