/**
 * Jittered exponential back-off after failed check-ins ("equal jitter"): the n-th
 * consecutive failure waits between half and all of `min(max, base * 2^(n-1))`, so a fleet
 * that lost the server together does not come back together.
 *
 * @example
 * backOffMs(3, { baseSeconds: 10, maxSeconds: 3600 }, Math.random); // 20 000 .. 40 000
 */
export function backOffMs(failures: number, limits: { readonly baseSeconds: number; readonly maxSeconds: number }, random: () => number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(limits.maxSeconds, limits.baseSeconds * 2 ** exponent) * 1000;
  return Math.round(ceiling / 2 + (ceiling / 2) * clamp01(random()));
}

/** `seconds` give or take `ratio` of it, at random (the poll interval's jitter). */
export function jitteredMs(seconds: number, ratio: number, random: () => number): number {
  return Math.round(seconds * 1000 * (1 - ratio + 2 * ratio * clamp01(random())));
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0.5;
}
