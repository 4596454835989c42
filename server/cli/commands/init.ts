/**
 * `steward init`: prepares a server's data (database migrated, online keys, a first
 * operator token) and prints the online public keys the offline root ceremony needs.
 * Running it again changes nothing that exists: keys are kept, no second token is issued
 * unless `--new-operator-token` asks for one.
 *
 * `--dev` (what `npm start` runs) then does the first-start DEVELOPMENT setup of
 * dev-setup.ts: development offline keys, the root ceremony, a demo vendor, the director
 * root and two operator users, refused under `STEWARD_ENV=production`.
 */
import { mkdir } from 'node:fs/promises';
import type { Command } from '../command.js';
import { localConfig } from '../local-config.js';
import { ensureOnlineKeys, onlineKeysDocument } from '../online-keys.js';
import { prettyJson } from '../files.js';
import { developmentSetup, refuseInProduction } from './dev-setup.js';
import { dataDirOption } from './shared-options.js';

export const init: Command = {
  words: ['init'],
  summary: 'Prepare the server: migrate the database, create online keys and an operator token',
  options: {
    ...dataDirOption,
    'new-operator-token': { kind: 'boolean', description: 'issue another operator token even when one exists' },
    dev: { kind: 'boolean', description: 'DEVELOPMENT setup (npm start): offline keys on this host, root ceremony, demo vendor, director root, operator users admin/admin2; refused when STEWARD_ENV=production' },
  },
  details: 'Configuration comes from $STEWARD_CONFIG and the environment, as for `steward serve`.\n--dev writes <data>/dev-offline-keys/ and <data>/dev-credentials.txt (<data> is --data-dir, else ./data).',
  async run({ args, io }) {
    const dev = args.flag('dev');
    if (dev) refuseInProduction(io.env); // before anything is written
    const dataDir = args.optionalString('data-dir');
    const config = localConfig(io.env, dataDir);
    // Loaded here so that commands without a database do not pay for the drivers.
    const { openDatabase, migrateToLatest } = await import('../../db/index.js');
    const { issueToken } = await import('../../auth/tokens.js');

    if (config.blobs.kind === 'fs') await mkdir(config.blobs.dir, { recursive: true });
    const database = openDatabase({ url: config.databaseUrl });
    try {
      const applied = await migrateToLatest(database.db);
      io.stdout.write(`database ${redactUrl(config.databaseUrl)}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`);

      const keys = await ensureOnlineKeys(config.keysDir);
      io.stdout.write(`online keys in ${config.keysDir}:\n`);
      for (const key of keys) io.stdout.write(`  ${key.role.padEnd(9)} ${key.created ? 'created' : 'kept   '} ${key.publicKey.keyId()}\n`);

      const existing = await database.db.selectFrom('api_tokens').select('id').where('scope', '=', 'operator').where('revoked_at', 'is', null).executeTakeFirst();
      if (existing && !args.flag('new-operator-token')) {
        io.stdout.write('an operator token exists already (it is never shown again); --new-operator-token issues another\n');
      } else {
        const { token, tokenId } = await issueToken(database.db, { scope: { kind: 'operator' }, label: `steward init ${new Date(io.now()).toISOString()}`, now: new Date(io.now()) });
        io.stdout.write(`operator token (id ${tokenId}), shown this once, keep it secret:\n  ${token}\n`);
      }
      if (dev) await developmentSetup({ config, dataDir: dataDir ?? DEFAULT_DATA_DIR, db: database.db, onlineKeys: keys, io });
      else io.stdout.write(`online public keys for the root ceremony ('steward keys online' prints them again):\n${prettyJson(onlineKeysDocument(keys))}`);
    } finally {
      await database.close();
    }
  },
};

const DEFAULT_DATA_DIR = './data';

/** A database URL without its password. */
function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+):[^@]*@/i, '$1:***@');
}
