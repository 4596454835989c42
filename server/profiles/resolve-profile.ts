/**
 * Resolution of a terminal's profile: operator default, then the merchant layer, then the
 * terminal's override, each key replacing the one below; plus the identity fields
 * (`_type`, `schema_version`, `version` = the merchant's version, `merchant_id`,
 * `terminal_id`). The result is the wire form `ProfileDocument.fromJSON` reads.
 *
 * @example
 * const json = resolveProfile(defaults, layers, { merchantId: 'M1', terminalId: 'T-1', version: 4 });
 * ProfileDocument.fromJSON(json).toBytes();
 */
import { PROFILE_SCHEMA_VERSION, PROFILE_TYPE, type JsonObject } from '../../manifests/index.js';
import { LAYER_KEYS, type LayerFields, type ProfileLayers } from './profile-layers.js';

export interface ProfileIdentity {
  readonly merchantId: string;
  /** Undefined: the merchant-level profile (what a terminal without an override receives, minus its TID). */
  readonly terminalId: string | undefined;
  readonly version: number;
}

/** Stands in for the TID when the merchant-level profile is validated (any valid TID would do). */
export const MERCHANT_LEVEL_TERMINAL_ID = 'merchant-level';

export function resolveFields(defaults: LayerFields, layers: ProfileLayers, terminalId: string | undefined): LayerFields {
  const override = terminalId === undefined ? {} : (layers.terminals[terminalId] ?? {});
  const resolved: LayerFields = {};
  for (const key of LAYER_KEYS) {
    for (const layer of [override, layers.merchant, defaults]) {
      const value = layer[key];
      if (value !== undefined) {
        resolved[key] = value;
        break;
      }
    }
  }
  return resolved;
}

export function resolveProfile(defaults: LayerFields, layers: ProfileLayers, identity: ProfileIdentity): JsonObject {
  return {
    _type: PROFILE_TYPE,
    schema_version: PROFILE_SCHEMA_VERSION,
    version: identity.version,
    merchant_id: identity.merchantId,
    ...(identity.terminalId === undefined ? {} : { terminal_id: identity.terminalId }),
    ...resolveFields(defaults, layers, identity.terminalId),
  };
}
