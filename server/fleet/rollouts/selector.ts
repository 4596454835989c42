/**
 * Which devices a rollout is for. Each kind is optional; a device matches when it matches
 * every kind given (AND between kinds), and matches a kind when it has any of its values
 * (OR within a kind). An empty selector matches every device.
 *
 * @example
 * selectorMatches({ hardwareModels: ['t100'], tags: ['pilot', 'north'] }, facts);
 */
import type { DeviceFacts } from './rollout-planner.js';

export interface RolloutSelector {
  readonly hardwareModels?: readonly string[];
  readonly tags?: readonly string[];
  readonly merchantIds?: readonly string[];
  readonly deviceIds?: readonly string[];
}

export const SELECTOR_KINDS = ['hardwareModels', 'tags', 'merchantIds', 'deviceIds'] as const;

export function selectorMatches(selector: RolloutSelector, device: DeviceFacts): boolean {
  if (selector.hardwareModels && !selector.hardwareModels.includes(device.hardwareModel)) return false;
  if (selector.tags && !selector.tags.some((tag) => device.tags.includes(tag))) return false;
  if (selector.merchantIds && (device.merchantId === null || !selector.merchantIds.includes(device.merchantId))) return false;
  if (selector.deviceIds && !selector.deviceIds.includes(device.deviceId)) return false;
  return true;
}

/** The stored JSON form, keeping only non-empty kinds. */
export function normaliseSelector(selector: RolloutSelector | undefined): RolloutSelector {
  const out: Record<string, readonly string[]> = {};
  for (const kind of SELECTOR_KINDS) {
    const values = selector?.[kind];
    if (values && values.length > 0) out[kind] = [...new Set(values)];
  }
  return out;
}

export function parseSelector(json: string): RolloutSelector {
  return normaliseSelector(JSON.parse(json) as RolloutSelector);
}
