/**
 * Contract bounds per merchant (allowed fee ranges, largest fixed fee and cap), set by the
 * operator. New bounds must be well-formed (`validateContractBounds`) and the merchant's
 * latest profile must still lie within them: narrowing bounds below the fees in force would
 * leave a published profile that no longer validates, so change the fees first. Audited.
 *
 * @example
 * await setMerchantBounds(db, 'M1', { credit: { min_bps: 80, max_bps: 180 } }, principal.actor, now);
 */
import type { Kysely } from 'kysely';
import { validateContractBounds, type JsonObject } from '../../manifests/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { atomically } from '../db/atomically.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { checkLayers } from '../profiles/check-profile.js';
import { lockMerchants } from '../profiles/merchant-lock.js';
import { defaultsOf, latestMerchantVersion } from '../profiles/profile-versions.js';
import { boundsFromWire, getMerchant, type Merchant } from './merchants.js';

export async function setMerchantBounds(db: Kysely<Database>, merchantId: string, wire: JsonObject, actor: string, now: Date): Promise<Merchant> {
  const bounds = boundsFromWire(wire);
  const issues = bounds === undefined ? [] : validateContractBounds(bounds);
  if (issues.length > 0) throw stewardError('STW_PROFILE_INVALID', 'the contract bounds are not valid', { issues });
  return atomically(
    db,
    async (trx) => {
      await lockMerchants(trx, [merchantId]);
      const before = await getMerchant(trx, merchantId);
      const latest = await latestMerchantVersion(trx, merchantId);
      if (latest) {
        const outside = checkLayers({ defaults: await defaultsOf(trx, latest), layers: latest.layers, merchantId, version: latest.version, bounds });
        if (outside.length > 0) throw stewardError('STW_PROFILE_INVALID', `version ${latest.version} of the profile would be outside these bounds`, { issues: outside });
      }
      await trx.updateTable('merchants').set({ fee_bounds: JSON.stringify(wire) }).where('id', '=', merchantId).execute();
      await appendAudit(trx, { actor, action: 'merchant.bounds.set', tenantId: merchantId, subject: `merchant:${merchantId}`, before: before.bounds, after: wire }, now);
      return getMerchant(trx, merchantId);
    },
    { retryUniqueViolations: true },
  );
}
