/**
 * JSON schemas of the audit routes (TypeBox: request types come from them through the
 * Fastify type provider, and they document the API in the OpenAPI document at /docs).
 */
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Hash = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description });

export const AuditEntrySchema = Type.Object({
  seq: Type.Integer({ description: '1, 2, ...: gapless' }),
  at: Type.String(),
  actor: Type.String({ description: 'user:<id>, token:<id>, device:<id> or system:<what>' }),
  action: Type.String({ description: '<noun>.<verb>, e.g. user.created (docs/audit.md)' }),
  tenantId: Nullable(Type.String()),
  subject: Type.String(),
  before: Type.Unknown({ description: 'the state before, masked; null when there was none' }),
  after: Type.Unknown({ description: 'the state after, masked; null when there is none' }),
  prevHash: Hash('hash of entry seq - 1 (64 zeros for entry 1)'),
  hash: Hash('SHA-256 over the canonical JSON of the entry (docs/audit.md)'),
});

export const AuditPageSchema = Type.Object({
  entries: Type.Array(AuditEntrySchema),
  next: Nullable(Type.Integer({ description: 'cursor for the next page: pass as after (oldest first) or before (newest first)' })),
});

const pageQuery = {
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'only entries after this seq' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'only entries before this seq' })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'default: desc when only before is given, else asc' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
};

export const AuditQuerySchema = Type.Object({ ...pageQuery, tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'only entries of this merchant or vendor' })) });

export const MerchantAuditQuerySchema = Type.Object(pageQuery);

export const MerchantParams = Type.Object({ merchantId: Type.String({ minLength: 1, maxLength: 64 }) });

export const VerifyQuerySchema = Type.Object({
  expectHead: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}:[0-9a-fA-F]{64}$', description: 'SEQ:HASH recorded earlier (steward audit head): fails unless that entry is still in the chain with that hash' })),
});

export const VerificationSchema = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer({ description: 'entries checked and found intact' }),
  headSeq: Type.Optional(Type.Integer()),
  headHash: Type.Optional(Hash('hash of the newest entry (64 zeros when the log is empty)')),
  problem: Type.Optional(
    Type.Object({
      seq: Type.Integer({ description: 'the first entry whose check failed (for a deletion: the first missing one)' }),
      kind: Type.Union([Type.Literal('hash-mismatch'), Type.Literal('chain-broken'), Type.Literal('gap'), Type.Literal('first-entry'), Type.Literal('head-missing'), Type.Literal('head-mismatch')]),
      suspectSeq: Type.Optional(Type.Integer({ description: 'chain-broken: the entry likely edited' })),
      lastMissingSeq: Type.Optional(Type.Integer()),
    }),
  ),
  message: Type.Optional(Type.String()),
});
