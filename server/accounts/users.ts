/**
 * People who sign in: operators (no tenant), merchants' staff (tenant = merchant id) and
 * vendors' staff (tenant = vendor id). A user's id is the actor of audit entries and the
 * identity maker-checker compares: two tokens of one user are one person.
 *
 * Operator users are created only on the server host (`steward user add --role operator`),
 * never through the API: an operator who could create operators could create an accomplice
 * and approve their own changes.
 *
 * @example
 * const user = await createUser(db, { username: 'ana', role: 'merchant', tenantId: 'M1', password }, now);
 * const found = await checkCredentials(db, 'ana', password); // UserRecord | undefined
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { stewardError } from '../errors.js';
import { isMerchantId, isVendorId, type Scope } from '../auth/scope.js';
import type { UserRole } from './account-tables.js';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './passwords.js';

const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly role: UserRole;
  readonly tenantId: string | null;
  readonly createdAt: string;
  readonly disabled: boolean;
}

export interface NewUser {
  readonly username: string;
  readonly role: UserRole;
  readonly tenantId?: string | null;
  readonly password: string;
}

export function scopeOf(user: Pick<UserRecord, 'role' | 'tenantId'>): Scope {
  if (user.role === 'operator') return { kind: 'operator' };
  if (user.role === 'vendor') return { kind: 'vendor', vendorId: user.tenantId ?? '' };
  return { kind: 'merchant', merchantId: user.tenantId ?? '' };
}

export async function createUser(db: Kysely<Database>, user: NewUser, now: Date): Promise<UserRecord> {
  const username = user.username.trim().toLowerCase();
  if (!USERNAME.test(username)) throw stewardError('STW_USER_INVALID', 'a username is 2-64 lower-case letters, digits and . _ @ -', { field: 'username' });
  if (user.password.length < MIN_PASSWORD_LENGTH) throw stewardError('STW_USER_INVALID', `a password has at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  const tenantId = user.role === 'operator' ? null : (user.tenantId ?? null);
  if (user.role === 'merchant' && (tenantId === null || !isMerchantId(tenantId))) throw stewardError('STW_USER_INVALID', 'a merchant user needs a merchant id', { field: 'tenantId' });
  if (user.role === 'vendor' && (tenantId === null || !isVendorId(tenantId))) throw stewardError('STW_USER_INVALID', 'a vendor user needs a vendor id', { field: 'tenantId' });
  if (user.role === 'merchant') {
    const merchant = await db.selectFrom('merchants').select('id').where('id', '=', tenantId as string).executeTakeFirst();
    if (!merchant) throw stewardError('STW_MERCHANT_UNKNOWN', `merchant ${tenantId} is not registered`);
  }
  if (user.role === 'vendor') {
    const vendor = await db.selectFrom('vendors').select('id').where('id', '=', tenantId as string).executeTakeFirst();
    if (!vendor) throw stewardError('STW_REPO_VENDOR_UNKNOWN', `vendor ${tenantId} is not registered`);
  }
  const id = `usr_${randomUUID()}`;
  try {
    await db.insertInto('users').values({ id, username, role: user.role, tenant_id: tenantId, password_hash: await hashPassword(user.password), created_at: now.toISOString(), disabled_at: null }).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw stewardError('STW_USER_EXISTS', `user ${username} exists`);
    throw error;
  }
  return { id, username, role: user.role, tenantId, createdAt: now.toISOString(), disabled: false };
}

/** The user whose password this is, or undefined (unknown user, wrong password, disabled). */
export async function checkCredentials(db: Kysely<Database>, username: string, password: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
  // Hash even for an unknown user, so timing does not tell which usernames exist.
  const matches = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !matches || row.disabled_at !== null) return undefined;
  return toRecord(row);
}

export async function findUser(db: Kysely<Database>, id: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

export async function listUsers(db: Kysely<Database>, filter: { role?: UserRole; tenantId?: string } = {}): Promise<UserRecord[]> {
  let query = db.selectFrom('users').selectAll().orderBy('username');
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.tenantId) query = query.where('tenant_id', '=', filter.tenantId);
  return (await query.execute()).map(toRecord);
}

export async function disableUser(db: Kysely<Database>, id: string, now: Date): Promise<boolean> {
  const result = await db.updateTable('users').set({ disabled_at: now.toISOString() }).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function toRecord(row: { id: string; username: string; role: UserRole; tenant_id: string | null; created_at: string; disabled_at: string | null }): UserRecord {
  return { id: row.id, username: row.username, role: row.role, tenantId: row.tenant_id, createdAt: row.created_at, disabled: row.disabled_at !== null };
}

// A valid hash of a random password nobody knows: compared against when the user is unknown.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
