import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { describeDatabase, loadConfig } from '../config.ts';
import { migrate, openStore, type Store } from '../db/index.ts';
import { LockedError } from '../db/lock.ts';
import { ROLES, type Role } from '../db/schema.ts';
import { type AuditEntry, auditService, systemEntry } from '../services/audit/index.ts';
import { type KeyInfo, keysService } from '../services/keys.ts';

export const KEYS_USAGE = `  npm run costcast -- keys create --role viewer|analyst|finance|admin --name NAME
      Creates an API key in the database of DATA_DIR (or DATABASE_URL) and prints it once.
      With the embedded database, stop the server first (or use POST /v1/keys).
  npm run costcast -- keys revoke --id KEY_ID
      Revokes a key (not the last active admin key). Both are written to the audit trail.
  npm run costcast -- keys list
      Lists the keys (never their secrets): id, name, role, first characters, when created,
      when last used (to within a minute) and whether revoked; times in UTC.`;

export class KeysUsageError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who acts in the audit trail when the CLI does: `cli:` and the operating-system user
 * running it (whoever can run the CLI against the database can act as anyone; the OS user is
 * the best name there is), `cli:unknown` when the system cannot say.
 * @example cliActor() //=> "cli:fatima"
 */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:${process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown'}`;
  }
}

/** An audit event of the CLI. */
const cliEntry = (
  action: string,
  resourceId: string | null,
  outcome: AuditEntry['outcome'],
  detail: Record<string, unknown>,
): AuditEntry => systemEntry(cliActor(), `cli keys ${action}`, 'key', resourceId, outcome, detail);

/** Opens the configured database, or null (and a message) when PGlite is held by a server. */
async function open(): Promise<{ store: Store; where: string } | null> {
  const config = loadConfig();
  try {
    const store = await openStore(config.database);
    return { store, where: describeDatabase(config.database) };
  } catch (e) {
    if (!(e instanceof LockedError)) throw e;
    process.stderr.write(`costcast: ${e.message}\n`);
    return null;
  }
}

/** An ISO time as `2026-12-07 09:00 UTC`. */
const utcMinute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/**
 * The keys as a table of aligned columns, a line each (what `keys list` prints).
 * @example keyTable(keys) // "ID  NAME  ROLE  STARTS WITH  CREATED  LAST USED  STATE\n…"
 */
export function keyTable(keys: readonly KeyInfo[]): string {
  const rows = [
    ['ID', 'NAME', 'ROLE', 'STARTS WITH', 'CREATED', 'LAST USED', 'STATE'],
    ...keys.map((k) => [
      k.id,
      k.name,
      k.role,
      k.prefix ? `${k.prefix}…` : '(COSTCAST_ADMIN_KEY)',
      utcMinute(k.createdAt),
      k.lastUsedAt === null ? 'never' : utcMinute(k.lastUsedAt),
      k.revokedAt === null ? 'active' : `revoked ${utcMinute(k.revokedAt)}`,
    ]),
  ];
  const widths = rows[0]?.map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length))) ?? [];
  return rows
    .map(
      (r) =>
        `${r.map((cell, j) => (j === r.length - 1 ? cell : cell.padEnd(widths[j] ?? 0))).join('  ')}\n`,
    )
    .join('');
}

/**
 * \`keys create --role R --name N\`: creates a key and prints it on standard output, once; the
 * database keeps only its hash. \`keys revoke --id ID\`: revokes a key. Both append an event to
 * the audit trail, whose actor is {@link cliActor}.
 */
export async function keysCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'create' && action !== 'revoke' && action !== 'list')
    throw new KeysUsageError(
      `unknown keys action "${action ?? ''}" (try "keys create", "keys revoke" or "keys list")`,
    );
  if (action === 'list' && rest.length > 0)
    throw new KeysUsageError(`keys list takes no options (got ${rest.join(' ')})`);
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } },
  });
  if (action === 'revoke') {
    if (!values.id || !UUID.test(values.id))
      throw new KeysUsageError(
        '--id is required: the id of the key (a UUID, see keys list or GET /v1/keys)',
      );
  } else if (action === 'create') {
    const role = values.role as Role | undefined;
    if (!role || !ROLES.includes(role))
      throw new KeysUsageError(`--role must be one of ${ROLES.join(', ')}`);
    const name = values.name?.trim();
    if (!name || name.length > 100)
      throw new KeysUsageError('--name is required (1 to 100 characters)');
  }
  const opened = await open();
  if (!opened) return 2;
  const { store, where } = opened;
  const audit = auditService(store.db, {
    log: { error: (_obj, msg) => process.stderr.write(`costcast: ${msg}\n`) },
    timer: false,
  });
  try {
    await migrate(store.db);
    const keys = keysService(store.db);
    if (action === 'list') {
      process.stdout.write(keyTable(await keys.list()));
      return 0;
    }
    if (action === 'revoke') {
      const id = values.id as string;
      const result = await keys.revoke(id);
      await audit.record(
        cliEntry('revoke', id, result === 'revoked' ? 'ok' : 'refused', {
          ...(result === 'revoked' ? {} : { code: result }),
        }),
      );
      if (result === 'revoked') {
        process.stderr.write(`costcast: revoked key ${id} in ${where}\n`);
        return 0;
      }
      process.stderr.write(
        result === 'not_found'
          ? `costcast: no active key ${id} in ${where}\n`
          : `costcast: key ${id} is the last active admin key; create another admin key first\n`,
      );
      return 2;
    }
    const role = values.role as Role;
    const name = (values.name as string).trim();
    const key = await keys.create(name, role, 'cli');
    await audit.record(cliEntry('create', key.id, 'ok', { name, role }));
    process.stderr.write(
      `costcast: created ${role} key "${name}" (${key.id}) in ${where}; it is shown this once:\n`,
    );
    process.stdout.write(`${key.key}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
