/** Tables of rollouts, their phases and per-device progress (see migrations/2026-11-28-003-rollouts.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RolloutTables {}
