/**
 * The DEVELOPMENT operator users of `steward init --dev`: `admin` and `admin2` (maker-checker
 * needs two distinct operator users), each with a random password. The passwords are shown
 * once on the terminal and kept in `<data>/dev-credentials.txt` (mode 0600), one
 * `name: value` line each, which `npm run demo` reads.
 *
 * @example
 * const credentials = await ensureDevelopmentUsers(db, './data/dev-credentials.txt', { consoleUrl, now });
 * readDevelopmentCredentials('./data/dev-credentials.txt'); // { console, admin, admin2 }
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { createUser } from '../../accounts/users.js';
import type { Database } from '../../db/schema.js';
import { writeNewFile } from '../files.js';

export const DEV_OPERATORS = ['admin', 'admin2'] as const;

export interface DevCredentials {
  readonly console: string;
  readonly admin: string;
  readonly admin2: string;
}

export type DevUsersOutcome =
  | { readonly kind: 'created'; readonly credentials: DevCredentials }
  | { readonly kind: 'kept' }
  /** Some of the users exist without a credentials file: nothing is created. */
  | { readonly kind: 'incomplete'; readonly existing: readonly string[] };

export async function ensureDevelopmentUsers(db: Kysely<Database>, file: string, options: { consoleUrl: string; now: Date }): Promise<DevUsersOutcome> {
  const existing = (await db.selectFrom('users').select('username').where('username', 'in', [...DEV_OPERATORS]).execute()).map((row) => row.username);
  if (existing.length === DEV_OPERATORS.length) return { kind: 'kept' };
  if (existing.length > 0) return { kind: 'incomplete', existing };
  const credentials: DevCredentials = { console: options.consoleUrl, admin: password(), admin2: password() };
  // The file first: a user whose password is nowhere would be locked out for good.
  await writeNewFile(file, credentialsText(credentials, options.now), 0o600);
  await chmod(file, 0o600); // whatever the umask
  for (const username of DEV_OPERATORS) await createUser(db, { username, role: 'operator', password: credentials[username] }, options.now);
  return { kind: 'created', credentials };
}

export async function readDevelopmentCredentials(file: string): Promise<DevCredentials> {
  const values = new Map<string, string>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const match = /^([a-z0-9]+):\s*(\S+)\s*$/.exec(line);
    if (match) values.set(match[1]!, match[2]!);
  }
  const get = (name: string): string => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`${file} has no "${name}:" line`);
    return value;
  };
  return { console: get('console'), admin: get('admin'), admin2: get('admin2') };
}

function credentialsText(credentials: DevCredentials, now: Date): string {
  return [
    '# Steward DEVELOPMENT credentials - NOT FOR PRODUCTION',
    `# written by 'steward init --dev' on ${now.toISOString()}; shown once on the terminal, kept here.`,
    '# Operator users: sign in to the console with either; approvals need the other one.',
    `console: ${credentials.console}`,
    `admin: ${credentials.admin}`,
    `admin2: ${credentials.admin2}`,
    '',
  ].join('\n');
}

function password(): string {
  return randomBytes(18).toString('base64url'); // 24 characters, 144 bits
}
