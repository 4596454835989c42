/**
 * The database of the server on this host (`--data-dir` and the server's configuration, as
 * for `steward init` and `serve`), opened and migrated for a command that works on it
 * directly, without the HTTP API: the audit and user commands. A SQLite file that does not
 * exist is refused rather than created, so a mistyped --data-dir cannot report on an empty log.
 *
 * @example
 * await withLocalDatabase(args, io, async (db) => verifyAuditChain(db));
 */
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import type { CommandArgs } from '../command-args.js';
import { localConfig } from '../local-config.js';

export const databaseOptionNote = 'Runs on the server host against its database (--data-dir, $STEWARD_CONFIG, DATABASE_URL), not over HTTP.';

export async function withLocalDatabase<T>(args: CommandArgs, io: CliIo, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const config = localConfig(io.env, args.optionalString('data-dir'));
  // Loaded here so that commands without a database do not pay for the drivers.
  const { migrateToLatest, openDatabase, parseDatabaseUrl } = await import('../../db/index.js');
  const location = parseDatabaseUrl(config.databaseUrl);
  if (location.dialect === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    throw new CliError('STW_CLI_FILE_UNREADABLE', `no database at ${location.path}: run 'steward init' first, or pass the server's --data-dir`);
  }
  const database = openDatabase({ url: config.databaseUrl });
  try {
    await migrateToLatest(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}
