/**
 * A forgiving reader of the profile's wire form: where `ProfileDocument.fromJSON` stops at the
 * first defect, this records every structural problem as an issue and returns the parts it
 * could read, so that the value rules can still run on them and a form can show everything at
 * once. Values are only type-checked here; their ranges and formats are the rules' business.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../json/json-value.js';
import type { FeeRate, SettlementAccount, TransactionLimits } from '../profile-fields.js';
import { PROFILE_SCHEMA_VERSION, PROFILE_TYPE } from '../profile-document.js';
import type { FeesToCheck } from './fees.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';
import type { ProfileParts } from './validate-profile.js';

type Kind = 'string' | 'integer' | 'object' | 'array';

export function readProfileJson(json: unknown): { parts: ProfileParts; issues: ProfileIssue[] } {
  const reader = new WireReader();
  const root = reader.asObject(json, '');
  if (root === undefined) return { parts: {}, issues: reader.issues };
  const type = reader.field(root, '', '_type', 'string');
  if (type !== undefined && type !== PROFILE_TYPE) reader.push('_type', 'STW_PROFILE_DOCUMENT_TYPE', `_type must be ${PROFILE_TYPE}`);
  const schema = reader.field(root, '', 'schema_version', 'integer');
  if (schema !== undefined && schema !== PROFILE_SCHEMA_VERSION) {
    reader.push('schema_version', 'STW_PROFILE_SCHEMA_VERSION', `schema_version ${schema} is not supported`, { supported: PROFILE_SCHEMA_VERSION });
  }
  const header = reader.field(root, '', 'receipt_header', 'array');
  const parts: ProfileParts = {
    version: reader.field(root, '', 'version', 'integer'),
    merchantId: reader.field(root, '', 'merchant_id', 'string'),
    terminalId: reader.field(root, '', 'terminal_id', 'string'),
    merchantName: reader.field(root, '', 'merchant_name', 'string'),
    // A line of the wrong type is reported and read as empty, so the other lines keep their index.
    receiptHeader: header?.map((line, i) => (typeof line === 'string' ? line : (reader.wrongType(`receipt_header[${i}]`, 'string'), ''))),
    mcc: reader.field(root, '', 'mcc', 'string'),
    currency: reader.field(root, '', 'currency', 'string'),
    timeZone: reader.field(root, '', 'time_zone', 'string'),
    fees: readFees(reader, reader.field(root, '', 'fees', 'object')),
    settlementAccount: readAccount(reader, reader.field(root, '', 'settlement_account', 'object')),
    limits: readLimits(reader, reader.field(root, '', 'limits', 'object')),
  };
  return { parts, issues: reader.issues };
}

function readFees(reader: WireReader, fees: JsonObject | undefined): FeesToCheck | undefined {
  if (fees === undefined) return undefined;
  reader.onlyKnown(fees, 'fees', ['debit', 'credit', 'schemes']);
  const schemes = new Map<string, FeeRate>();
  const schemeObject = reader.field(fees, 'fees', 'schemes', 'object', false);
  for (const [name, value] of Object.entries(schemeObject ?? {})) {
    const fee = readFee(reader, reader.asObject(value, `fees.schemes.${name}`), `fees.schemes.${name}`);
    if (fee !== undefined) schemes.set(name, fee);
  }
  return {
    debit: readFee(reader, reader.field(fees, 'fees', 'debit', 'object'), 'fees.debit'),
    credit: readFee(reader, reader.field(fees, 'fees', 'credit', 'object'), 'fees.credit'),
    schemes,
  };
}

function readFee(reader: WireReader, fee: JsonObject | undefined, path: string): FeeRate | undefined {
  if (fee === undefined) return undefined;
  const before = reader.issues.length;
  reader.onlyKnown(fee, path, ['rate_bps', 'cap_minor', 'fixed_minor']);
  const rateBps = reader.field(fee, path, 'rate_bps', 'integer');
  const capMinor = reader.field(fee, path, 'cap_minor', 'integer', false);
  const fixedMinor = reader.field(fee, path, 'fixed_minor', 'integer', false);
  return rateBps === undefined || reader.issues.length > before ? undefined : { rateBps, capMinor, fixedMinor };
}

function readAccount(reader: WireReader, account: JsonObject | undefined): SettlementAccount | undefined {
  if (account === undefined) return undefined;
  const path = 'settlement_account';
  const type = reader.field(account, path, 'type', 'string');
  const before = reader.issues.length;
  const text = (key: string, required = true): string | undefined => reader.field(account, path, key, 'string', required);
  let result: SettlementAccount | undefined;
  switch (type) {
    case undefined:
      return undefined;
    case 'iban': {
      reader.onlyKnown(account, path, ['type', 'iban', 'bic']);
      const iban = text('iban');
      result = iban === undefined ? undefined : { type, iban, bic: text('bic', false) };
      break;
    }
    case 'cn': {
      reader.onlyKnown(account, path, ['type', 'cnaps', 'account_number']);
      const [cnaps, accountNumber] = [text('cnaps'), text('account_number')];
      result = cnaps === undefined || accountNumber === undefined ? undefined : { type, cnaps, accountNumber };
      break;
    }
    case 'us': {
      reader.onlyKnown(account, path, ['type', 'routing_number', 'account_number']);
      const [routingNumber, accountNumber] = [text('routing_number'), text('account_number')];
      result = routingNumber === undefined || accountNumber === undefined ? undefined : { type, routingNumber, accountNumber };
      break;
    }
    default:
      reader.push(`${path}.type`, 'STW_PROFILE_ACCOUNT_TYPE', 'the account type must be iban, cn or us', { type });
      return undefined;
  }
  return reader.issues.length > before ? undefined : result;
}

function readLimits(reader: WireReader, limits: JsonObject | undefined): Partial<TransactionLimits> | undefined {
  if (limits === undefined) return undefined;
  reader.onlyKnown(limits, 'limits', ['max_transaction_minor', 'max_refund_minor', 'daily_total_minor']);
  return {
    maxTransactionMinor: reader.field(limits, 'limits', 'max_transaction_minor', 'integer'),
    maxRefundMinor: reader.field(limits, 'limits', 'max_refund_minor', 'integer', false),
    dailyTotalMinor: reader.field(limits, 'limits', 'daily_total_minor', 'integer', false),
  };
}

class WireReader {
  readonly issues: ProfileIssue[] = [];

  push(field: string, code: ProfileIssue['code'], message: string, params?: Record<string, string | number>): void {
    this.issues.push(profileIssue(field, code, message, params));
  }

  wrongType(field: string, expected: Kind): void {
    this.push(field, 'STW_PROFILE_JSON_TYPE', `must be ${expected === 'integer' ? 'an' : 'a'} ${expected}`, { expected });
  }

  asObject(value: unknown, path: string): JsonObject | undefined {
    if (isJsonObject(value)) return value;
    this.wrongType(path, 'object');
    return undefined;
  }

  field(object: JsonObject, parent: string, key: string, kind: 'string', required?: boolean): string | undefined;
  field(object: JsonObject, parent: string, key: string, kind: 'integer', required?: boolean): number | undefined;
  field(object: JsonObject, parent: string, key: string, kind: 'object', required?: boolean): JsonObject | undefined;
  field(object: JsonObject, parent: string, key: string, kind: 'array', required?: boolean): JsonValue[] | undefined;
  field(object: JsonObject, parent: string, key: string, kind: Kind, required = true): JsonValue | undefined {
    const path = parent === '' ? key : `${parent}.${key}`;
    if (!Object.hasOwn(object, key)) {
      if (required) this.push(path, 'STW_PROFILE_REQUIRED', `${path} is required`);
      return undefined;
    }
    const value = object[key] as JsonValue;
    if (!hasKind(value, kind)) {
      this.wrongType(path, kind);
      return undefined;
    }
    return value;
  }

  /** Nested fields the document model does not read would be dropped without a word: report them. */
  onlyKnown(object: JsonObject, path: string, known: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (!known.includes(key)) this.push(`${path}.${key}`, 'STW_PROFILE_UNKNOWN_FIELD', `${key} is not a field of ${path}`, { expected: known.join(',') });
    }
  }
}

function hasKind(value: JsonValue, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'object':
      return isJsonObject(value);
    case 'array':
      return Array.isArray(value);
  }
}
