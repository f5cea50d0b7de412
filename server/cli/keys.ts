import { parseArgs } from 'node:util';
import { describeDatabase, loadConfig } from '../config.ts';
import { migrate, openStore } from '../db/index.ts';
import { LockedError } from '../db/lock.ts';
import { ROLES, type Role } from '../db/schema.ts';
import { keysService } from '../services/keys.ts';

export const KEYS_USAGE = `  npm run costcast -- keys create --role viewer|analyst|finance|admin --name NAME
      Creates an API key in the database of DATA_DIR (or DATABASE_URL) and prints it once.
      With the embedded database, stop the server first (or use POST /v1/keys).`;

export class KeysUsageError extends Error {}

/**
 * \`keys create --role R --name N\`: creates a key and prints it on standard output, once; the
 * database keeps only its hash.
 */
export async function keysCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'create')
    throw new KeysUsageError(`unknown keys action "${action ?? ''}" (try "keys create")`);
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: { role: { type: 'string' }, name: { type: 'string' } },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role))
    throw new KeysUsageError(`--role must be one of ${ROLES.join(', ')}`);
  const name = values.name?.trim();
  if (!name || name.length > 100)
    throw new KeysUsageError('--name is required (1 to 100 characters)');
  const config = loadConfig();
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(config.database);
  } catch (e) {
    if (!(e instanceof LockedError)) throw e;
    process.stderr.write(`costcast: ${e.message}\n`);
    return 2;
  }
  try {
    await migrate(store.db);
    const key = await keysService(store.db).create(name, role, 'cli');
    process.stderr.write(
      `costcast: created ${role} key "${name}" (${key.id}) in ${describeDatabase(config.database)}; it is shown this once:\n`,
    );
    process.stdout.write(`${key.key}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
