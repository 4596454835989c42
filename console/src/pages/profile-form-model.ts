/**
 * The correction form's model: which profile fields it edits, how the typed values become a
 * patch (only the fields that changed; a settlement account only when a new one is entered),
 * and where a field-level issue belongs. The browser checks the patch with the same
 * validation library the server runs (manifests/profile/validation), so most errors show as
 * the user types; the server's dry run (POST .../profile/validate) then confirms with the
 * merchant's contract bounds and terminal overrides, and its answer wins.
 */
import { validateProfileJson } from '../../../manifests/profile/validation/index.js';
import type { ProfileIssue, WireProfile } from '../api/profile-types.js';

export type AccountType = 'iban' | 'cn' | 'us';

export interface FormValues {
  readonly merchant_name: string;
  readonly receipt_header: string;
  readonly time_zone: string;
  readonly account_type: AccountType;
  readonly iban: string;
  readonly bic: string;
  readonly cnaps: string;
  readonly routing_number: string;
  readonly account_number: string;
  readonly effective_at: string;
}

/** The form's inputs by the wire path they edit; an issue goes to the longest path that prefixes its field. */
export const FIELD_PATHS: Readonly<Record<string, keyof FormValues>> = {
  merchant_name: 'merchant_name',
  receipt_header: 'receipt_header',
  time_zone: 'time_zone',
  settlement_account: 'account_type',
  'settlement_account.type': 'account_type',
  'settlement_account.iban': 'iban',
  'settlement_account.bic': 'bic',
  'settlement_account.cnaps': 'cnaps',
  'settlement_account.routing_number': 'routing_number',
  'settlement_account.account_number': 'account_number',
  effective_at: 'effective_at',
};

export function initialValues(profile: WireProfile | null): FormValues {
  const text = (key: string) => (typeof profile?.[key] === 'string' ? (profile[key] as string) : '');
  const header = Array.isArray(profile?.['receipt_header']) ? (profile['receipt_header'] as unknown[]).filter((line): line is string => typeof line === 'string') : [];
  const account = profile?.['settlement_account'] as { type?: unknown } | undefined;
  const type = account?.type === 'cn' || account?.type === 'us' ? account.type : 'iban';
  return { merchant_name: text('merchant_name'), receipt_header: header.join('\n'), time_zone: text('time_zone'), account_type: type, iban: '', bic: '', cnaps: '', routing_number: '', account_number: '', effective_at: '' };
}

/** Top-level fields that differ from the current profile (a key replaces the whole value). */
export function buildPatch(values: FormValues, current: FormValues): WireProfile {
  const patch: WireProfile = {};
  if (values.merchant_name !== current.merchant_name) patch['merchant_name'] = values.merchant_name;
  if (values.receipt_header !== current.receipt_header) patch['receipt_header'] = values.receipt_header.replace(/\n+$/, '').split('\n');
  if (values.time_zone !== current.time_zone) patch['time_zone'] = values.time_zone;
  const account = accountOf(values);
  if (account) patch['settlement_account'] = account;
  return patch;
}

function accountOf(values: FormValues): WireProfile | undefined {
  const compact = (value: string) => value.replace(/\s+/g, '').toUpperCase();
  switch (values.account_type) {
    case 'iban':
      if (values.iban.trim() === '' && values.bic.trim() === '') return undefined;
      return values.bic.trim() === '' ? { type: 'iban', iban: compact(values.iban) } : { type: 'iban', iban: compact(values.iban), bic: compact(values.bic) };
    case 'cn':
      if (values.cnaps.trim() === '' && values.account_number.trim() === '') return undefined;
      return { type: 'cn', cnaps: values.cnaps.trim(), account_number: compact(values.account_number) };
    case 'us':
      if (values.routing_number.trim() === '' && values.account_number.trim() === '') return undefined;
      return { type: 'us', routing_number: values.routing_number.trim(), account_number: compact(values.account_number) };
  }
}

/**
 * The issues of the patch checked in the browser: the current profile with the patch on top,
 * validated whole, keeping only issues about the fields the patch sets (the rest of the
 * current profile arrives masked and is the server's to judge).
 */
export function localIssues(current: WireProfile | null, patch: WireProfile, merchantId: string): ProfileIssue[] {
  const keys = Object.keys(patch);
  if (keys.length === 0) return [];
  const candidate: WireProfile = {
    _type: 'steward-profile',
    schema_version: 1,
    version: typeof current?.['version'] === 'number' ? current['version'] : 1,
    merchant_id: merchantId,
    terminal_id: typeof current?.['terminal_id'] === 'string' ? current['terminal_id'] : 'T-0000',
    ...current,
    ...patch,
  };
  return validateProfileJson(candidate).filter((issue) => keys.some((key) => issue.field === key || issue.field.startsWith(`${key}.`) || issue.field.startsWith(`${key}[`)));
}

/** The input an issue belongs to, or undefined for issues the form shows in its summary. */
export function inputFor(field: string): keyof FormValues | undefined {
  let best: string | undefined;
  for (const path of Object.keys(FIELD_PATHS)) {
    if ((field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`)) && (best === undefined || path.length > best.length)) best = path;
  }
  return best === undefined ? undefined : FIELD_PATHS[best];
}

export function isSensitive(patch: WireProfile): boolean {
  return 'settlement_account' in patch || 'fees' in patch;
}
