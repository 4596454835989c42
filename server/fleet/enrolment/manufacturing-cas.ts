/**
 * The manufacturing CAs each vendor registered: the trust anchors of zero-touch enrolment.
 * A vendor's set is replaced as a whole (several at once allow a CA rotation), and one CA
 * belongs to one vendor only, so the CA a chain ends at names the vendor unambiguously.
 *
 * @example
 * await replaceManufacturingCas(db, 'acme', [caPem], now);
 * const anchors = await allManufacturingCas(db); // [{ vendorId, fingerprint, certificatePem }]
 */
import { X509Certificate } from 'node:crypto';
import type { Kysely } from 'kysely';
import { certificateFingerprintSha256 } from '../../../manifests/x509/index.js';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';

export interface ManufacturingCa {
  readonly vendorId: string;
  readonly fingerprint: string;
  readonly certificatePem: string;
  readonly createdAt: string;
}

export async function replaceManufacturingCas(db: Kysely<Database>, vendorId: string, certificatesPem: readonly string[], now: Date): Promise<ManufacturingCa[]> {
  const cas = certificatesPem.map((certificatePem, index) => {
    let fingerprint: string;
    try {
      fingerprint = certificateFingerprintSha256(certificatePem);
    } catch (error) {
      throw stewardError('STW_MANUFACTURING_CA_INVALID', `certificate ${index} is not one readable PEM certificate`, { index, reason: 'unreadable' }, error);
    }
    // RFC 5280 4.2.1.9: a trust anchor that issues terminal certificates is a CA.
    if (!new X509Certificate(certificatePem).ca) throw stewardError('STW_MANUFACTURING_CA_INVALID', `certificate ${index} is not a CA certificate`, { index, reason: 'not-a-ca' });
    return { vendorId, fingerprint, certificatePem: certificatePem.trim() + '\n', createdAt: now.toISOString() };
  });
  const unique = [...new Map(cas.map((ca) => [ca.fingerprint, ca])).values()];
  return db.transaction().execute(async (trx) => {
    const vendor = await trx.selectFrom('vendors').select('id').where('id', '=', vendorId).executeTakeFirst();
    if (!vendor) throw stewardError('STW_REPO_VENDOR_UNKNOWN', `vendor ${vendorId} is not registered`, { vendorId });
    const taken = await trx.selectFrom('manufacturing_cas').select(['vendor_id', 'fingerprint']).where('fingerprint', 'in', unique.map((ca) => ca.fingerprint)).where('vendor_id', '<>', vendorId).executeTakeFirst();
    if (taken) throw stewardError('STW_MANUFACTURING_CA_INVALID', 'that CA is registered to another vendor', { reason: 'registered-to-another-vendor', fingerprint: taken.fingerprint });
    await trx.deleteFrom('manufacturing_cas').where('vendor_id', '=', vendorId).execute();
    await trx
      .insertInto('manufacturing_cas')
      .values(unique.map((ca) => ({ vendor_id: ca.vendorId, fingerprint: ca.fingerprint, certificate_pem: ca.certificatePem, created_at: ca.createdAt })))
      .execute();
    return unique;
  });
}

export async function manufacturingCas(db: Kysely<Database>, vendorId?: string): Promise<ManufacturingCa[]> {
  let query = db.selectFrom('manufacturing_cas').selectAll().orderBy('vendor_id').orderBy('fingerprint');
  if (vendorId !== undefined) query = query.where('vendor_id', '=', vendorId);
  const rows = await query.execute();
  return rows.map((row) => ({ vendorId: row.vendor_id, fingerprint: row.fingerprint, certificatePem: row.certificate_pem, createdAt: row.created_at }));
}
