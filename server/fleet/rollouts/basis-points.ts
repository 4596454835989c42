/**
 * Ratios and shares are stored as integer basis points (1/10,000): thresholds then compare
 * exactly (`failed * 10000 >= ratio_bp * attempted`) on both dialects, with no floating
 * point in SQL. The API speaks ratios (0..1) and percentages (0..100, two decimals).
 */
export const BASIS_POINTS = 10_000;

/** A ratio 0..1 or percentage 0..100 (`per` = 1 or 100) to basis points; undefined when finer than 1 bp. */
export function toBasisPoints(value: number, per: 1 | 100): number | undefined {
  const exact = (value * BASIS_POINTS) / per;
  const rounded = Math.round(exact);
  return Math.abs(exact - rounded) < 1e-6 ? rounded : undefined;
}

export function fromBasisPoints(bp: number, per: 1 | 100): number {
  return (bp * per) / BASIS_POINTS;
}
