/**
 * `steward audit verify`: walks the audit log's hash chain on the server host and names the
 * first entry that was edited or deleted (server/audit/verify-audit-chain.ts). With
 * `--expect-head SEQ:HASH` (a head recorded earlier by `steward audit head`) it also catches
 * deleted newest entries and a chain rewritten consistently up to that head.
 */
import { parseAuditHead } from '../../audit/audit-head.js';
import { CliError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { databaseOptionNote, withLocalDatabase } from './local-database.js';
import { dataDirOption } from './shared-options.js';

export const auditVerify: Command = {
  words: ['audit', 'verify'],
  summary: 'Check the audit log hash chain; name the first edited or deleted entry',
  options: {
    ...dataDirOption,
    'expect-head': { kind: 'string', value: 'SEQ:HASH', description: "a head recorded earlier ('steward audit head'): fail unless that entry is still in the chain with that hash" },
  },
  details: `${databaseOptionNote} Exit 0 when intact; otherwise 1 with error STW_AUDIT_BROKEN naming the entry.`,
  async run({ args, io }) {
    const text = args.optionalString('expect-head');
    const expectHead = text === undefined ? undefined : parseAuditHead(text);
    if (text !== undefined && !expectHead) throw usageError('--expect-head must be SEQ:HASH (a whole number, a colon, 64 hex digits)');
    const { verifyAuditChain } = await import('../../audit/verify-audit-chain.js');
    const result = await withLocalDatabase(args, io, (db) => verifyAuditChain(db, expectHead ? { expectHead } : {}));
    if (!result.ok) throw new CliError('STW_AUDIT_BROKEN', result.message, { details: { ...result.problem } });
    io.stdout.write(`audit log intact: ${result.entries} entries, head ${result.headSeq} ${result.headHash}\n`);
    if (expectHead) io.stdout.write(`recorded head ${expectHead.seq} is in the chain\n`);
  },
};
