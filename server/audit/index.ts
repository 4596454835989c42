// server/audit/: the append-only, hash-chained audit log, its verification and its routes.
export { appendAudit } from './audit-log.js';
export type { AuditEntryInput } from './audit-log.js';
export { GENESIS_HASH, entryHash } from './audit-hash.js';
export { parseAuditHead, formatAuditHead } from './audit-head.js';
export type { AuditHead } from './audit-head.js';
export { verifyAuditChain } from './verify-audit-chain.js';
export type { AuditVerification, AuditProblem, AuditProblemKind, VerifyAuditOptions } from './verify-audit-chain.js';
export { listAudit } from './audit-query.js';
export type { AuditEntryView, AuditPage, AuditQuery } from './audit-query.js';
export { auditRoutes } from './audit-routes.js';
export type { AuditRoutesOptions } from './audit-routes.js';
export type { AuditLogTable, AuditTables } from './audit-tables.js';
