/**
 * The merchant parameter profile a terminal applies: a JSON document delivered as a
 * director target (so its bytes are covered by the director's signature) and schema-checked
 * on the terminal before it is applied. Wire form (snake_case):
 *
 * ```json
 * { "_type": "steward-profile", "schema_version": 1, "version": 7,
 *   "merchant_id": "M-1001", "terminal_id": "T-0001", "merchant_name": "Cafe Lumen",
 *   "receipt_header": ["Cafe Lumen", "12 Rue X"], "mcc": "5812", "currency": "EUR",
 *   "time_zone": "Europe/Paris",
 *   "fees": { "debit": { "rate_bps": 30 }, "credit": { "rate_bps": 120, "cap_minor": 500 },
 *             "schemes": { "amex": { "rate_bps": 250 } } },
 *   "settlement_account": { "type": "iban", "iban": "FR76...", "bic": "BNPAFRPP" },
 *   "limits": { "max_transaction_minor": 500000 } }
 * ```
 *
 * @example
 * const profile = ProfileDocument.fromBytes(bytes); // throws ManifestError on any defect
 * profile.version; profile.fields.currency;
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader, invalid } from '../json/object-reader.js';
import { parseJson } from '../json/parse-json.js';
import { isTimeZone } from '../json/time-zone.js';
import type { FeeRate, Fees, ProfileFields, SettlementAccount, TransactionLimits } from './profile-fields.js';

export const PROFILE_TYPE = 'steward-profile';
export const PROFILE_SCHEMA_VERSION = 1;
const MAX_PROFILE_BYTES = 64 * 1024; // bytes
const MAX_RATE_BPS = 10_000; // 100 %
const CURRENCY = /^[A-Z]{3}$/;
const MCC = /^\d{4}$/;
const DIGITS = /^\d+$/;
const IDENTIFIER = /^[A-Za-z0-9._-]{1,64}$/;

export class ProfileDocument {
  readonly fields: ProfileFields;
  readonly unrecognised: JsonObject;

  constructor(fields: ProfileFields, unrecognised: JsonObject = {}) {
    this.fields = fields;
    this.unrecognised = unrecognised;
  }

  get version(): number {
    return this.fields.version;
  }
  get merchantId(): string {
    return this.fields.merchantId;
  }
  get terminalId(): string {
    return this.fields.terminalId;
  }

  static fromBytes(bytes: Uint8Array): ProfileDocument {
    return ProfileDocument.fromJSON(parseJson(bytes, { maxBytes: MAX_PROFILE_BYTES, maxDepth: 8 }));
  }

  static fromJSON(value: unknown): ProfileDocument {
    const reader = ObjectReader.of(value, 'profile');
    if (reader.string('_type') !== PROFILE_TYPE) throw invalid(reader.field('_type'), `must be ${PROFILE_TYPE}`);
    reader.integer('schema_version', { min: PROFILE_SCHEMA_VERSION, max: PROFILE_SCHEMA_VERSION });
    const timeZone = reader.string('time_zone');
    if (!isTimeZone(timeZone)) throw invalid(reader.field('time_zone'), 'is not a known time zone');
    const fields: ProfileFields = {
      version: reader.integer('version', { min: 1 }),
      merchantId: reader.string('merchant_id', { pattern: IDENTIFIER }),
      terminalId: reader.string('terminal_id', { pattern: IDENTIFIER }),
      merchantName: reader.string('merchant_name', { nonEmpty: true }),
      receiptHeader: reader.stringArray('receipt_header'),
      mcc: reader.string('mcc', { pattern: MCC }),
      currency: reader.string('currency', { pattern: CURRENCY }),
      timeZone,
      fees: readFees(reader.object('fees')),
      settlementAccount: readAccount(reader.object('settlement_account')),
      limits: readLimits(reader.object('limits')),
    };
    return new ProfileDocument(fields, reader.unrecognised());
  }

  toJSON(): JsonObject {
    const f = this.fields;
    const schemes: JsonObject = {};
    for (const [name, fee] of f.fees.schemes) schemes[name] = writeFee(fee);
    return {
      ...this.unrecognised,
      _type: PROFILE_TYPE,
      schema_version: PROFILE_SCHEMA_VERSION,
      version: f.version,
      merchant_id: f.merchantId,
      terminal_id: f.terminalId,
      merchant_name: f.merchantName,
      receipt_header: [...f.receiptHeader],
      mcc: f.mcc,
      currency: f.currency,
      time_zone: f.timeZone,
      fees: { debit: writeFee(f.fees.debit), credit: writeFee(f.fees.credit), schemes },
      settlement_account: writeAccount(f.settlementAccount),
      limits: {
        max_transaction_minor: f.limits.maxTransactionMinor,
        ...(f.limits.maxRefundMinor === undefined ? {} : { max_refund_minor: f.limits.maxRefundMinor }),
        ...(f.limits.dailyTotalMinor === undefined ? {} : { daily_total_minor: f.limits.dailyTotalMinor }),
      },
    };
  }

  /** The bytes a director target carries (strict JSON, fields in a fixed order). */
  toBytes(): Buffer {
    return Buffer.from(JSON.stringify(this.toJSON()), 'utf8');
  }
}

function readFee(reader: ObjectReader): FeeRate {
  return {
    rateBps: reader.integer('rate_bps', { min: 0, max: MAX_RATE_BPS }),
    capMinor: reader.optionalInteger('cap_minor', { min: 0 }),
    fixedMinor: reader.optionalInteger('fixed_minor', { min: 0 }),
  };
}

function writeFee(fee: FeeRate): JsonObject {
  return {
    rate_bps: fee.rateBps,
    ...(fee.capMinor === undefined ? {} : { cap_minor: fee.capMinor }),
    ...(fee.fixedMinor === undefined ? {} : { fixed_minor: fee.fixedMinor }),
  };
}

function readFees(reader: ObjectReader): Fees {
  const schemes = new Map<string, FeeRate>();
  const schemesReader = reader.optionalObject('schemes');
  for (const [name, value] of schemesReader?.entries() ?? []) schemes.set(name, readFee(ObjectReader.of(value, `${reader.field('schemes')}.${name}`)));
  return { debit: readFee(reader.object('debit')), credit: readFee(reader.object('credit')), schemes };
}

function readAccount(reader: ObjectReader): SettlementAccount {
  const type = reader.string('type');
  switch (type) {
    case 'iban':
      return { type, iban: reader.string('iban', { pattern: /^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/ }), bic: reader.optionalString('bic', { pattern: /^[A-Z0-9]{8}(?:[A-Z0-9]{3})?$/ }) };
    case 'cn':
      return { type, cnaps: reader.string('cnaps', { pattern: DIGITS }), accountNumber: reader.string('account_number', { pattern: DIGITS }) };
    case 'us':
      return { type, routingNumber: reader.string('routing_number', { pattern: DIGITS }), accountNumber: reader.string('account_number', { pattern: DIGITS }) };
    default:
      throw invalid(reader.field('type'), `is ${type}, expected iban, cn or us`);
  }
}

function writeAccount(account: SettlementAccount): JsonObject {
  switch (account.type) {
    case 'iban':
      return { type: 'iban', iban: account.iban, ...(account.bic === undefined ? {} : { bic: account.bic }) };
    case 'cn':
      return { type: 'cn', cnaps: account.cnaps, account_number: account.accountNumber };
    case 'us':
      return { type: 'us', routing_number: account.routingNumber, account_number: account.accountNumber };
  }
}

function readLimits(reader: ObjectReader): TransactionLimits {
  return {
    maxTransactionMinor: reader.integer('max_transaction_minor', { min: 1 }),
    maxRefundMinor: reader.optionalInteger('max_refund_minor', { min: 0 }),
    dailyTotalMinor: reader.optionalInteger('daily_total_minor', { min: 1 }),
  };
}
