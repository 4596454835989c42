/**
 * Profile layers: partial profiles in wire form that cascade operator default -> merchant ->
 * terminal override. A layer holds only the top-level keys in `LAYER_KEYS`; a key replaces the
 * whole value below it (`fees` and `settlement_account` are replaced whole, never merged). In a
 * patch, `null` removes the key from the layer, so the layer below shows through again.
 *
 * @example
 * const layers = applyToLayers(emptyLayers(), { kind: 'terminal', terminalId: 'T-1' }, { receipt_header: ['Till 1'] });
 * isSensitivePatch({ fees: { ... } }); // true: waits for a second operator
 */
import { isJsonObject, type JsonObject } from '../../manifests/index.js';

export const LAYER_KEYS = ['merchant_name', 'receipt_header', 'mcc', 'currency', 'time_zone', 'fees', 'settlement_account', 'limits'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

/** Keys whose change moves money: the settlement account and fee rates, at any layer. */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set<LayerKey>(['settlement_account', 'fees']);

/** A partial profile: some of `LAYER_KEYS`, values in wire form. */
export type LayerFields = JsonObject;

/** What a merchant version stores: its own layer and its terminal overrides by TID. */
export interface ProfileLayers {
  readonly merchant: LayerFields;
  readonly terminals: Readonly<Record<string, LayerFields>>;
}

export type LayerName = { readonly kind: 'default' } | { readonly kind: 'merchant' } | { readonly kind: 'terminal'; readonly terminalId: string };

/** A terminal id (TID), as profiles carry it (manifests/profile/profile-document.ts). */
export const TERMINAL_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function parseLayerName(text: string): LayerName | undefined {
  if (text === 'default') return { kind: 'default' };
  if (text === 'merchant') return { kind: 'merchant' };
  if (text.startsWith('terminal:') && TERMINAL_ID.test(text.slice('terminal:'.length))) return { kind: 'terminal', terminalId: text.slice('terminal:'.length) };
  return undefined;
}

export function formatLayerName(layer: LayerName): string {
  switch (layer.kind) {
    case 'default':
    case 'merchant':
      return layer.kind;
    case 'terminal':
      return `terminal:${layer.terminalId}`;
  }
}

export function isLayerKey(key: string): key is LayerKey {
  return (LAYER_KEYS as readonly string[]).includes(key);
}

export function isSensitivePatch(patch: JsonObject): boolean {
  return Object.keys(patch).some((key) => SENSITIVE_KEYS.has(key));
}

export function emptyLayers(): ProfileLayers {
  return { merchant: {}, terminals: {} };
}

/** The layer's keys after the patch: a value replaces, `null` removes. */
export function applyPatch(fields: LayerFields, patch: JsonObject): LayerFields {
  const next: LayerFields = { ...fields };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** The merchant's layers after a patch to its merchant layer or one terminal override (an emptied override is dropped). */
export function applyToLayers(layers: ProfileLayers, layer: Exclude<LayerName, { kind: 'default' }>, patch: JsonObject): ProfileLayers {
  if (layer.kind === 'merchant') return { merchant: applyPatch(layers.merchant, patch), terminals: layers.terminals };
  const terminals: Record<string, LayerFields> = { ...layers.terminals };
  const next = applyPatch(terminals[layer.terminalId] ?? {}, patch);
  if (Object.keys(next).length === 0) delete terminals[layer.terminalId];
  else terminals[layer.terminalId] = next;
  return { merchant: layers.merchant, terminals };
}

export function parseLayers(text: string): ProfileLayers {
  const value: unknown = JSON.parse(text);
  if (!isJsonObject(value)) return emptyLayers();
  const merchant = isJsonObject(value['merchant']) ? value['merchant'] : {};
  const terminals: Record<string, LayerFields> = {};
  if (isJsonObject(value['terminals'])) for (const [tid, fields] of Object.entries(value['terminals'])) if (isJsonObject(fields)) terminals[tid] = fields;
  return { merchant, terminals };
}

export function serialiseLayers(layers: ProfileLayers): string {
  return JSON.stringify({ merchant: layers.merchant, terminals: layers.terminals });
}

export function parseFields(text: string): LayerFields {
  const value: unknown = JSON.parse(text);
  return isJsonObject(value) ? value : {};
}
