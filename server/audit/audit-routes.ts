/**
 * Reading the audit log over HTTP (writing happens only inside the changes it records):
 *
 *   GET /v1/audit?after=&before=&order=&limit=&tenant=   operator: the whole log, paginated
 *   GET /v1/audit/verify?expectHead=SEQ:HASH             operator: walks the chain (verify-audit-chain.ts)
 *   GET /v1/merchants/:merchantId/audit?after=&limit=    operator or that merchant: its own trail
 *
 * @example
 * await app.register(auditRoutes, { db });
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { errorResponses } from '../repository/routes/schemas.js';
import { parseAuditHead } from './audit-head.js';
import { listAudit } from './audit-query.js';
import { AuditPageSchema, AuditQuerySchema, MerchantAuditQuerySchema, MerchantParams, VerificationSchema, VerifyQuerySchema } from './audit-schemas.js';
import { verifyAuditChain } from './verify-audit-chain.js';

export interface AuditRoutesOptions {
  readonly db: Kysely<Database>;
}

const tags = ['audit'];

export const auditRoutes: FastifyPluginAsyncTypebox<AuditRoutesOptions> = async (app, { db }) => {
  app.get(
    '/v1/audit',
    { config: { access: 'operator' }, schema: { tags, summary: 'The audit log, oldest first (or newest first with order=desc), with parsed before/after', querystring: AuditQuerySchema, response: { 200: AuditPageSchema, ...errorResponses } } },
    async (request) => {
      const { tenant, ...page } = request.query;
      return listAudit(db, { ...page, ...(tenant === undefined ? {} : { tenantId: tenant }) });
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { access: 'operator' },
      schema: { tags, summary: 'Check the hash chain; ok false names the first entry that was edited or deleted', querystring: VerifyQuerySchema, response: { 200: VerificationSchema, ...errorResponses } },
    },
    async (request) => {
      const expectHead = request.query.expectHead === undefined ? undefined : parseAuditHead(request.query.expectHead);
      return verifyAuditChain(db, expectHead ? { expectHead } : {});
    },
  );

  app.get(
    '/v1/merchants/:merchantId/audit',
    {
      config: { access: 'operator-or-merchant' },
      schema: { tags, summary: "A merchant's own audit trail (entries whose tenant is the merchant)", params: MerchantParams, querystring: MerchantAuditQuerySchema, response: { 200: AuditPageSchema, ...errorResponses } },
    },
    async (request) => listAudit(db, { ...request.query, tenantId: request.params.merchantId }),
  );
};
