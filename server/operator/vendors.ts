/** Registered vendors: each may be delegated the target paths under `<id>/`. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/index.js';
import { stewardError } from '../errors.js';
import { isVendorId } from '../auth/scope.js';

export interface Vendor {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

export async function addVendor(db: Kysely<Database>, vendor: { id: string; name: string }, now = new Date()): Promise<Vendor> {
  if (!isVendorId(vendor.id)) throw stewardError('STW_REQUEST_INVALID', `${vendor.id} cannot be a vendor id (reserved or malformed)`, { field: 'id' });
  const createdAt = now.toISOString();
  try {
    await db.insertInto('vendors').values({ id: vendor.id, name: vendor.name, created_at: createdAt }).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw stewardError('STW_REPO_VENDOR_EXISTS', `vendor ${vendor.id} already exists`, { vendorId: vendor.id });
    throw error;
  }
  return { id: vendor.id, name: vendor.name, createdAt };
}

export async function listVendors(db: Kysely<Database>): Promise<Vendor[]> {
  const rows = await db.selectFrom('vendors').selectAll().orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
}

export async function vendorExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (await db.selectFrom('vendors').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
