// Test fixtures: a valid parameter profile in wire form.
export function validProfileJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _type: 'steward-profile',
    schema_version: 1,
    version: 3,
    merchant_id: 'M-1001',
    terminal_id: 'T-0001',
    merchant_name: 'Cafe Lumen',
    receipt_header: ['Cafe Lumen', '12 Rue de la Paix'],
    mcc: '5812',
    currency: 'EUR',
    time_zone: 'Europe/Paris',
    fees: { debit: { rate_bps: 30 }, credit: { rate_bps: 120, cap_minor: 500, fixed_minor: 5 }, schemes: { amex: { rate_bps: 250 } } },
    settlement_account: { type: 'iban', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP' },
    limits: { max_transaction_minor: 500000, max_refund_minor: 100000 },
    ...overrides,
  };
}
