/**
 * The difference between two profile states, field by field: objects are compared key by key
 * down to their leaves, arrays (receipt header lines) as a whole. Computed on the real values,
 * then masked, so a new account with the same last digits still shows as a change.
 *
 * A state is the merchant-level resolved profile (default + merchant layer: a default change
 * shows too) plus each terminal override under `terminals.<tid>.`.
 *
 * @example
 * profileDiff(before, after); // [{ path: 'settlement_account.iban', before: 'FR76 **** **** 0189', after: 'DE89 **** **** 3000' }]
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../manifests/index.js';
import type { LayerFields, ProfileLayers } from './profile-layers.js';
import { maskAtPath } from './profile-masking.js';
import { resolveFields } from './resolve-profile.js';

export interface DiffEntry {
  readonly path: string;
  /** Null: absent. Masked. */
  readonly before: JsonValue;
  readonly after: JsonValue;
}

export interface ProfileState {
  readonly defaults: LayerFields;
  readonly layers: ProfileLayers;
}

/** Flattens a state into the object the diff walks. */
export function diffable(state: ProfileState | undefined): JsonObject {
  if (state === undefined) return {};
  return { ...resolveFields(state.defaults, state.layers, undefined), terminals: { ...state.layers.terminals } };
}

export function profileDiff(before: ProfileState | undefined, after: ProfileState | undefined): DiffEntry[] {
  const entries: { path: string; before: JsonValue | undefined; after: JsonValue | undefined }[] = [];
  walk(diffable(before), diffable(after), '', entries);
  return entries.map((entry) => ({ path: entry.path, before: maskAtPath(entry.path, entry.before), after: maskAtPath(entry.path, entry.after) }));
}

function walk(before: JsonValue | undefined, after: JsonValue | undefined, path: string, out: { path: string; before: JsonValue | undefined; after: JsonValue | undefined }[]): void {
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], path === '' ? key : `${path}.${key}`, out);
    return;
  }
  if (isJsonObject(before) && after === undefined) {
    for (const key of Object.keys(before).sort()) walk(before[key], undefined, path === '' ? key : `${path}.${key}`, out);
    return;
  }
  if (before === undefined && isJsonObject(after)) {
    for (const key of Object.keys(after).sort()) walk(undefined, after[key], path === '' ? key : `${path}.${key}`, out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before, after });
}
