// Creates a PGlite cluster (initdb) in a process of its own: `node pglite-init.js DIR CONF`.
// Creating one leaves the instance's WebAssembly memory and buffers at about 700 MB, where
// opening an existing cluster takes about 150 MB; a closed instance's memory goes back only
// when V8 gets round to collecting it, and a worker thread's, once freed, mostly stays with
// the process's allocator. A process's memory all goes when it ends.
import { PGlite } from '@electric-sql/pglite';
import { pgliteFailure } from './pglite-errors.ts';

const [dataDir, postgresqlconf] = process.argv.slice(2);
if (!dataDir || postgresqlconf === undefined) {
  console.error('usage: pglite-init DATA_DIR POSTGRESQL_CONF');
  process.exit(2);
}
try {
  await (await PGlite.create({ dataDir, postgresqlconf })).close();
} catch (e) {
  console.error(pgliteFailure(e));
  // PGlite restores process.exitCode after each query, so exit here.
  process.exit(1);
}
