/** Tables of devices, enrolment, check-ins and director documents (see migrations/2026-11-28-002-fleet.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FleetTables {}
