/**
 * `steward user add`: creates a user on the server host, recorded in the audit log as
 * `user.created` by `system:cli`. The only way to create an operator user: the API has no
 * route for it, because an operator who could create operators could create an accomplice
 * and approve their own sensitive changes (maker-checker needs two real people).
 *
 * The password comes from stdin (`--password-stdin`, never echoed) or is generated (144 random
 * bits) and printed once. Only its scrypt hash is stored.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { UserRole } from '../../accounts/account-tables.js';
import type { NewUser, UserRecord } from '../../accounts/users.js';
import type { Database } from '../../db/schema.js';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { databaseOptionNote, withLocalDatabase } from './local-database.js';
import { dataDirOption } from './shared-options.js';

const ROLES: readonly UserRole[] = ['operator', 'merchant', 'vendor'];
/** Longest password read from stdin (the sign-in route accepts up to 1024 characters). */
const MAX_PASSWORD = 1024; // characters
export const CLI_ACTOR = 'system:cli';

export const userAdd: Command = {
  words: ['user', 'add'],
  summary: 'Create a user (the only way to create operators); audited',
  options: {
    ...dataDirOption,
    username: { kind: 'string', value: 'NAME', description: '2-64 lower-case letters, digits and . _ @ -', required: true },
    role: { kind: 'string', value: 'ROLE', description: 'operator, merchant or vendor', required: true },
    tenant: { kind: 'string', value: 'ID', description: 'the merchant or vendor id the user acts for (not for operators)' },
    'password-stdin': { kind: 'boolean', description: 'read the password from stdin (one line) instead of generating one' },
  },
  details: `${databaseOptionNote} Without --password-stdin a strong password is generated and printed once.\nExample: printf '%s\\n' "$PW" | steward user add --username ana --role merchant --tenant M1 --password-stdin`,
  async run({ args, io }) {
    const role = args.string('role') as UserRole;
    if (!ROLES.includes(role)) throw usageError(`--role must be one of ${ROLES.join(', ')}`);
    const tenant = args.optionalString('tenant');
    if (role === 'operator' && tenant !== undefined) throw usageError('an operator user acts for no tenant: leave out --tenant');
    if (role !== 'operator' && tenant === undefined) throw usageError(`a ${role} user needs --tenant (the ${role} id)`);
    const fromStdin = args.flag('password-stdin');
    const password = fromStdin ? await readPassword(io) : randomBytes(18).toString('base64url');
    const user = await withLocalDatabase(args, io, (db) => createUserAudited(db, { username: args.string('username'), role, tenantId: tenant ?? null, password }, CLI_ACTOR, new Date(io.now())));
    io.stdout.write(`created ${user.role} user ${user.username}${user.tenantId === null ? '' : ` for ${user.tenantId}`} (id ${user.id})\n`);
    if (!fromStdin) io.stdout.write(`password, shown this once, keep it secret:\n  ${password}\n`);
  },
};

/**
 * Creates the user and its `user.created` audit entry in one transaction.
 *
 * @example
 * const user = await createUserAudited(db, { username: 'admin', role: 'operator', password }, 'system:cli', new Date());
 */
export async function createUserAudited(db: Kysely<Database>, input: NewUser, actor: string, now: Date): Promise<UserRecord> {
  const [{ createUser }, { appendAudit }, { atomically }] = await Promise.all([import('../../accounts/users.js'), import('../../audit/audit-log.js'), import('../../db/atomically.js')]);
  return atomically(
    db,
    async (trx) => {
      const user = await createUser(trx, input, now);
      const after = { id: user.id, username: user.username, role: user.role, tenantId: user.tenantId };
      await appendAudit(trx, { actor, action: 'user.created', tenantId: user.tenantId, subject: `user:${user.id}`, after }, now);
      return user;
    },
    { retryUniqueViolations: true },
  );
}

/** All of stdin, without the line break that ends it. */
async function readPassword(io: CliIo): Promise<string> {
  if (!io.stdin) throw usageError('--password-stdin: no standard input here');
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    chunks.push(bytes);
    length += bytes.length;
    if (length > MAX_PASSWORD * 4) break;
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text.length > MAX_PASSWORD) throw usageError(`--password-stdin: a password has at most ${MAX_PASSWORD} characters`);
  if (text.includes('\n')) throw usageError('--password-stdin: the password is one line');
  return text;
}
