/**
 * Whether a merchant's layers are publishable: the merchant-level profile and every terminal
 * override must resolve to a profile that validates (manifests/profile/validation), inside
 * the merchant's contract bounds. Issues of an override carry `params.terminal_id`; an issue
 * the merchant level already reports is not repeated for each override.
 *
 * @example
 * const issues = checkLayers({ defaults, layers, merchantId: 'M1', version: 5, bounds });
 * if (issues.length > 0) throw stewardError('STW_PROFILE_INVALID', '...', { issues });
 */
import { validateProfileJson, type ContractBounds, type ProfileIssue } from '../../manifests/index.js';
import type { LayerFields, ProfileLayers } from './profile-layers.js';
import { MERCHANT_LEVEL_TERMINAL_ID, resolveProfile } from './resolve-profile.js';

export interface LayerCheck {
  readonly defaults: LayerFields;
  readonly layers: ProfileLayers;
  readonly merchantId: string;
  readonly version: number;
  readonly bounds: ContractBounds | undefined;
}

export function checkLayers(check: LayerCheck): ProfileIssue[] {
  const { defaults, layers, merchantId, version, bounds } = check;
  const context = bounds === undefined ? {} : { bounds };
  const merchantLevel = validateProfileJson({ ...resolveProfile(defaults, layers, { merchantId, terminalId: undefined, version }), terminal_id: MERCHANT_LEVEL_TERMINAL_ID }, context);
  const seen = new Set(merchantLevel.map((issue) => `${issue.field}\0${issue.code}`));
  const issues = [...merchantLevel];
  for (const terminalId of Object.keys(layers.terminals).sort()) {
    for (const issue of validateProfileJson(resolveProfile(defaults, layers, { merchantId, terminalId, version }), context)) {
      if (seen.has(`${issue.field}\0${issue.code}`)) continue;
      issues.push({ ...issue, params: { ...issue.params, terminal_id: terminalId } });
    }
  }
  return issues;
}
