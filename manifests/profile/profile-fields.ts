/** The typed fields of a merchant parameter profile (see profile-document.ts for the wire form). */

/** A fee: a rate in integer basis points (1 bp = 0.01 %), an optional cap and fixed part in minor units. */
export interface FeeRate {
  readonly rateBps: number;
  readonly capMinor: number | undefined;
  readonly fixedMinor: number | undefined;
}

export interface Fees {
  readonly debit: FeeRate;
  readonly credit: FeeRate;
  /** Per card scheme overrides, e.g. `visa`, `mastercard`, `unionpay`. */
  readonly schemes: ReadonlyMap<string, FeeRate>;
}

export type SettlementAccount =
  | { readonly type: 'iban'; readonly iban: string; readonly bic: string | undefined }
  | { readonly type: 'cn'; readonly cnaps: string; readonly accountNumber: string }
  | { readonly type: 'us'; readonly routingNumber: string; readonly accountNumber: string };

export interface TransactionLimits {
  /** Largest single sale, in minor units of the profile currency. */
  readonly maxTransactionMinor: number;
  readonly maxRefundMinor: number | undefined;
  readonly dailyTotalMinor: number | undefined;
}

export interface ProfileFields {
  readonly version: number;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly merchantName: string;
  readonly receiptHeader: readonly string[];
  readonly mcc: string;
  readonly currency: string;
  readonly timeZone: string;
  readonly fees: Fees;
  readonly settlementAccount: SettlementAccount;
  readonly limits: TransactionLimits;
}
