/**
 * `steward init --dev`: the first-start DEVELOPMENT setup behind `npm start`. After `init`'s
 * own work (database, online keys) it plays every part of the offline ceremony on this host,
 * with the CLI's own commands against the server running in-process on 127.0.0.1 (a free
 * port, for the length of the setup):
 *
 * 1. development offline keys in `<data>/dev-offline-keys/` (README: NOT FOR PRODUCTION);
 * 2. the image repository root: `repo root create`, `repo sign`, `repo upload-root`;
 * 3. the vendor `demo-vendor` (`vendor add`, delegation `demo-vendor/*` signed with the
 *    targets key), whose release key the demo publishes with;
 * 4. the director root (director-root key offline, the server's director key as `targets`);
 * 5. operator users `admin` and `admin2` with random passwords, saved in
 *    `<data>/dev-credentials.txt` (0600).
 *
 * Each step is skipped when its result exists, so a restart (or a setup cut short) changes
 * nothing that is there. A repository whose root is not the development root came from a
 * real ceremony: then nothing is done. `STEWARD_ENV=production` refuses the whole setup.
 *
 * @example
 * await developmentSetup({ config, dataDir: './data', io }); // prints the banner
 */
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Kysely } from 'kysely';
import { Metadata } from '../../../manifests/index.js';
import type { Config } from '../../config/config.js';
import type { Database } from '../../db/schema.js';
import { buildRoot } from '../../repository/ceremony.js';
import { latestParsed } from '../../repository/metadata-rows.js';
import { ApiClient } from '../api-client.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { replaceFile, prettyJson } from '../files.js';
import { readPublicKey, readSigners } from '../key-files.js';
import { onlineKeysDocument, type OnlineKey } from '../online-keys.js';
import { ensureDevelopmentUsers, type DevUsersOutcome } from './dev-credentials.js';
import { ensureDevelopmentKeys, type DevKeys } from './dev-keys.js';
import { runStewardCommand } from './dev-run-command.js';

export const DEV_VENDOR = 'demo-vendor';
const SETUP_TOKEN_SECONDS = 600;
const ROOT_DAYS = 365;
const DAY_MS = 24 * 3600 * 1000;

export interface DevSetupOptions {
  readonly config: Config;
  readonly dataDir: string;
  readonly db: Kysely<Database>;
  readonly onlineKeys: readonly OnlineKey[];
  readonly io: CliIo;
}

/** Throws unless the environment allows development keys. */
export function refuseInProduction(env: NodeJS.ProcessEnv): void {
  if ((env['STEWARD_ENV'] ?? '').toLowerCase() === 'production') {
    throw new CliError('STW_CLI_PRODUCTION', 'STEWARD_ENV=production: development keys and users are never created; run the key ceremony (docs/operations.md)');
  }
}

export async function developmentSetup(options: DevSetupOptions): Promise<void> {
  const { io, config, dataDir } = options;
  refuseInProduction(io.env);
  const keys = await ensureDevelopmentKeys(join(dataDir, 'dev-offline-keys'));
  const created = Object.entries(keys).filter(([, value]) => typeof value === 'object' && value.created).map(([name]) => name);
  io.stdout.write(`development offline keys in ${shown(keys.dir)}: ${created.length > 0 ? `created ${created.join(', ')}` : 'kept'}\n`);

  const ceremony = await runCeremony(options, keys);
  if (ceremony === 'foreign-root') {
    io.stdout.write('the image repository has a root from a key ceremony (not the development root): no development setup\n');
    return;
  }
  const consoleUrl = `http://${displayHost(config.host)}:${config.port}/console`;
  const credentialsFile = join(dataDir, 'dev-credentials.txt');
  const users = await ensureDevelopmentUsers(options.db, credentialsFile, { consoleUrl, now: new Date(io.now()) });
  io.stdout.write(banner(users, consoleUrl, credentialsFile, keys.dir));
}

type CeremonyOutcome = 'done' | 'foreign-root';

/** What of steps 2-4 exists, read from the database (no server is started when all does). */
interface CeremonyState {
  readonly rootKeyIds: readonly string[] | undefined;
  readonly vendorDelegated: boolean;
  readonly directorRoot: boolean;
}

async function ceremonyState(db: Kysely<Database>): Promise<CeremonyState> {
  const root = await latestParsed(db, 'root', 'root');
  const targets = await latestParsed(db, 'targets', 'targets');
  const director = await db.selectFrom('director_roots').select('version').limit(1).executeTakeFirst();
  return {
    rootKeyIds: root && [...root.metadata.signed.authority('root').keys.keys()],
    vendorDelegated: (targets?.metadata.signed.delegations?.roles ?? []).some((role) => role.name === DEV_VENDOR),
    directorRoot: director !== undefined,
  };
}

/** Steps 2-4, each through the API of an in-process server, with a short-lived operator token. */
async function runCeremony(options: DevSetupOptions, keys: DevKeys): Promise<CeremonyOutcome> {
  const state = await ceremonyState(options.db);
  const devRoot = (await readPublicKey(keys.root.publicPath)).keyId();
  if (state.rootKeyIds !== undefined && !state.rootKeyIds.includes(devRoot)) return 'foreign-root';
  if (state.rootKeyIds !== undefined && state.vendorDelegated && state.directorRoot) return 'done';

  const { buildServer } = await import('../../app/build-server.js');
  const { issueToken, revokeToken } = await import('../../auth/tokens.js');
  const app = await buildServer({ ...options.config, host: '127.0.0.1', port: 0, logLevel: 'warn', resignIntervalSeconds: 0, fleetPruneIntervalSeconds: 0 });
  const now = new Date(options.io.now());
  const { token, tokenId } = await issueToken(options.db, { scope: { kind: 'operator' }, label: 'steward init --dev', now, expiresAt: new Date(now.getTime() + SETUP_TOKEN_SECONDS * 1000) });
  try {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const api = new ApiClient({ baseUrl: url, token });
    const run = commandRunner(options.io, { STEWARD_URL: url, STEWARD_TOKEN: token });

    if (state.rootKeyIds === undefined) {
      const onlineFile = join(keys.dir, 'online-keys.json');
      const rootFile = join(keys.dir, 'root.json');
      await replaceFile(onlineFile, prettyJson(onlineKeysDocument(options.onlineKeys)));
      await rm(rootFile, { force: true }); // left by a setup cut short before its upload
      await run(['repo', 'root', 'create', '--root-key', keys.root.publicPath, '--targets-key', keys.targets.publicPath, '--snapshot-key', onlineFile, '--timestamp-key', onlineFile, '--out', rootFile]);
      await run(['repo', 'sign', rootFile, '--key', keys.root.privatePath]);
      await run(['repo', 'upload-root', rootFile]);
    }
    if (!state.vendorDelegated) {
      await run(['vendor', 'add', DEV_VENDOR, '--name', 'Demo Terminals', '--vendor-key', keys['demo-vendor'].publicPath, '--targets-key', keys.targets.privatePath]);
    }
    if (!state.directorRoot) {
      const director = options.onlineKeys.find((key) => key.role === 'director');
      if (!director) throw new CliError('STW_CLI_ONLINE_KEYS_MISSING', 'no director key among the online keys');
      const [signer] = await readSigners([keys['director-root'].privatePath]);
      if (!signer) throw new CliError('STW_CLI_FILE_UNREADABLE', `${keys['director-root'].privatePath} holds no key`);
      const offline = { keys: [signer.publicKey], threshold: 1 };
      const document = buildRoot({ root: offline, targets: { keys: [director.publicKey], threshold: 1 }, snapshot: offline, timestamp: offline, expires: new Date(now.getTime() + ROOT_DAYS * DAY_MS) });
      const signed = await Metadata.create(document).sign(signer);
      const { version } = await api.request<{ version: number }>('PUT', '/v1/director/root', { json: signed.toJSON() });
      options.io.stdout.write(`director root version ${version} published (root key ${signer.publicKey.keyId().slice(0, 12)}..., director key ${director.publicKey.keyId().slice(0, 12)}...)\n`);
    }
    return 'done';
  } finally {
    await revokeToken(options.db, tokenId, new Date(options.io.now())).catch(() => undefined);
    await app.close();
  }
}

/** Runs `steward <argv>` in this process, its output indented under a `$ steward ...` line. */
function commandRunner(io: CliIo, env: Record<string, string>): (argv: readonly string[]) => Promise<void> {
  const indented = (stream: CliIo['stdout']): CliIo['stdout'] => ({ write: (text: string) => stream.write(text.replace(/^(?=.)/gm, '    ')) });
  return async (argv) => {
    io.stdout.write(`$ steward ${argv.map((word) => (word.includes('/') ? shown(word) : /\s/.test(word) ? JSON.stringify(word) : word)).join(' ')}\n`);
    await runStewardCommand(argv, { env, stdout: indented(io.stdout), stderr: indented(io.stderr), now: io.now });
  };
}

function banner(users: DevUsersOutcome, consoleUrl: string, credentialsFile: string, keysDir: string): string {
  const rule = '='.repeat(78);
  const lines = [rule, '  DEVELOPMENT SETUP - NOT FOR PRODUCTION', `  offline keys lie unprotected in ${shown(keysDir)}; see docs/operations.md for a real deployment`];
  switch (users.kind) {
    case 'created':
      lines.push(`  Console: ${consoleUrl}  sign in as admin / ${users.credentials.admin}`);
      lines.push(`  second operator (approves what admin requests): admin2 / ${users.credentials.admin2}`);
      lines.push(`  these passwords are shown once; they are saved in ${shown(credentialsFile)} (mode 0600)`);
      break;
    case 'kept':
      lines.push(`  Console: ${consoleUrl}  sign in as admin (password in ${shown(credentialsFile)})`);
      break;
    case 'incomplete':
      lines.push(`  operator users ${users.existing.join(', ')} exist but ${shown(credentialsFile)} is missing: no new users were created`);
      break;
    default: {
      const unknown: never = users;
      throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
  lines.push('  then: npm run demo', rule, '');
  return lines.join('\n');
}

/** A path as the user would type it from here. */
function shown(path: string): string {
  const from = relative(process.cwd(), path);
  return from === '' || from.startsWith('..') ? path : from.startsWith('.') ? from : `./${from}`;
}

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
}
