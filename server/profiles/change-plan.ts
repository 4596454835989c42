/**
 * What a change would do, computed against the current latest versions (scheduled included):
 * the next layers, the field-level issues of the result, and the masked diff. Proposals,
 * dry runs, the approval queue and approvals all go through here, so an approval re-checks the
 * patch against what is current at that moment, not what was current when it was proposed.
 *
 * @example
 * const plan = await planChange(db, { merchantId: 'M1', layer: { kind: 'merchant' }, patch });
 * plan.issues; plan.diff; plan.sensitive;
 */
import type { Kysely } from 'kysely';
import type { JsonObject, ProfileIssue } from '../../manifests/index.js';
import { merchantBounds } from '../accounts/merchants.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { checkLayers } from './check-profile.js';
import { profileDiff, type DiffEntry } from './profile-diff.js';
import { applyPatch, applyToLayers, emptyLayers, isLayerKey, isSensitivePatch, parseLayerName, type LayerFields, type LayerName, type ProfileLayers } from './profile-layers.js';
import { latestDefault, latestMerchantVersion, latestVersionsOfAllMerchants, type DefaultVersion, type MerchantVersion } from './profile-versions.js';
import { merchantTerminalIds } from './terminal-ids.js';

export interface ChangeTarget {
  /** Null for the operator default layer. */
  readonly merchantId: string | null;
  readonly layer: LayerName;
  readonly patch: JsonObject;
}

export interface ChangePlan {
  readonly sensitive: boolean;
  readonly issues: ProfileIssue[];
  readonly diff: DiffEntry[];
  /** The version the change builds on (merchant, or default for the default layer); null: none yet. */
  readonly baseVersion: number | null;
  /** For a merchant change: its next layers. */
  readonly layers: ProfileLayers | undefined;
  /** For a default change: the next default fields. */
  readonly defaults: LayerFields | undefined;
  /** The layer's values before, for the keys the patch names. */
  readonly before: LayerFields;
}

/** Refuses a patch that is not an object of known top-level keys (the route schema says the same). */
export function checkPatch(patch: JsonObject): void {
  const keys = Object.keys(patch);
  if (keys.length === 0) throw stewardError('STW_REQUEST_INVALID', 'the patch sets no field', { field: 'patch' });
  const unknown = keys.filter((key) => !isLayerKey(key));
  if (unknown.length > 0) throw stewardError('STW_REQUEST_INVALID', `a layer holds only profile fields; not ${unknown.join(', ')}`, { field: 'patch', keys: unknown });
}

export async function planChange(db: Kysely<Database>, target: ChangeTarget): Promise<ChangePlan> {
  checkPatch(target.patch);
  const sensitive = isSensitivePatch(target.patch);
  const keys = Object.keys(target.patch);
  if (target.layer.kind === 'default') {
    if (target.merchantId !== null) throw stewardError('STW_REQUEST_INVALID', 'the default layer belongs to no merchant', { field: 'layer' });
    return planDefault(db, target.patch, sensitive, keys);
  }
  if (target.merchantId === null) throw stewardError('STW_REQUEST_INVALID', 'a merchant or terminal layer needs a merchant', { field: 'layer' });
  const merchantId = target.merchantId;
  const bounds = await merchantBounds(db, merchantId); // STW_MERCHANT_UNKNOWN first
  if (target.layer.kind === 'terminal' && !(await merchantTerminalIds(db, merchantId)).has(target.layer.terminalId)) {
    throw stewardError('STW_PROFILE_NOT_FOUND', `merchant ${merchantId} has no terminal ${target.layer.terminalId}`, { field: 'layer' });
  }
  const previous = await latestMerchantVersion(db, merchantId);
  const defaults = (await latestDefault(db))?.fields ?? {};
  const current = previous?.layers ?? emptyLayers();
  const layers = applyToLayers(current, target.layer, target.patch);
  const issues = checkLayers({ defaults, layers, merchantId, version: (previous?.version ?? 0) + 1, bounds });
  const layerBefore = target.layer.kind === 'merchant' ? current.merchant : (current.terminals[target.layer.terminalId] ?? {});
  return {
    sensitive,
    issues,
    diff: profileDiff(previous && { defaults, layers: current }, { defaults, layers }),
    baseVersion: previous?.version ?? null,
    layers,
    defaults: undefined,
    before: pick(layerBefore, keys),
  };
}

async function planDefault(db: Kysely<Database>, patch: JsonObject, sensitive: boolean, keys: string[]): Promise<ChangePlan> {
  const previous: DefaultVersion | undefined = await latestDefault(db);
  const current = previous?.fields ?? {};
  const next = applyPatch(current, patch);
  const issues: ProfileIssue[] = [];
  for (const merchant of await latestVersionsOfAllMerchants(db)) issues.push(...(await merchantIssues(db, merchant, next)));
  return {
    sensitive,
    issues,
    diff: profileDiff({ defaults: current, layers: emptyLayers() }, { defaults: next, layers: emptyLayers() }),
    baseVersion: previous?.version ?? null,
    layers: undefined,
    defaults: next,
    before: pick(current, keys),
  };
}

/** A default change must leave every merchant's profile valid; issues name the merchant. */
async function merchantIssues(db: Kysely<Database>, merchant: MerchantVersion, defaults: LayerFields): Promise<ProfileIssue[]> {
  const bounds = await merchantBounds(db, merchant.merchantId);
  const issues = checkLayers({ defaults, layers: merchant.layers, merchantId: merchant.merchantId, version: merchant.version + 1, bounds });
  return issues.map((issue) => ({ ...issue, params: { ...issue.params, merchant_id: merchant.merchantId } }));
}

function pick(fields: LayerFields, keys: readonly string[]): LayerFields {
  const picked: LayerFields = {};
  for (const key of keys) picked[key] = fields[key] ?? null;
  return picked;
}

/** 422 with the field-level issues, when there are any. */
export function assertValid(plan: ChangePlan): void {
  if (plan.issues.length > 0) throw stewardError('STW_PROFILE_INVALID', 'the profile would not be valid', { issues: plan.issues });
}

/**
 * What a pending change would change now, for lists and the approval queue; undefined when it
 * is not pending or can no longer be planned (e.g. its terminal was unassigned meanwhile).
 */
export async function pendingDiff(db: Kysely<Database>, change: { state: string; merchantId: string | null; layer: string; patch: JsonObject }): Promise<DiffEntry[] | undefined> {
  const layer = parseLayerName(change.layer);
  if (change.state !== 'pending' || !layer) return undefined;
  try {
    return (await planChange(db, { merchantId: change.merchantId, layer, patch: change.patch })).diff;
  } catch {
    return undefined;
  }
}
