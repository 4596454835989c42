/**
 * `steward audit head`: verifies the chain, then prints its head as `SEQ:HASH`, alone on
 * stdout, to be recorded somewhere the database's administrators cannot write (a ticket, a
 * signed e-mail, another system's log). `steward audit verify --expect-head SEQ:HASH` later
 * proves that nothing up to that entry was changed or deleted.
 */
import { formatAuditHead } from '../../audit/audit-head.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../command.js';
import { databaseOptionNote, withLocalDatabase } from './local-database.js';
import { dataDirOption } from './shared-options.js';

export const auditHead: Command = {
  words: ['audit', 'head'],
  summary: 'Verify the audit log and print its head (SEQ:HASH) to record elsewhere',
  options: { ...dataDirOption },
  details: `${databaseOptionNote} Only the head goes to stdout: HEAD=$(steward audit head). A broken chain prints no head (exit 1, STW_AUDIT_BROKEN).`,
  async run({ args, io }) {
    const { verifyAuditChain } = await import('../../audit/verify-audit-chain.js');
    const result = await withLocalDatabase(args, io, (db) => verifyAuditChain(db));
    if (!result.ok) throw new CliError('STW_AUDIT_BROKEN', `${result.message}; no head printed`, { details: { ...result.problem } });
    io.stdout.write(`${formatAuditHead({ seq: result.headSeq, hash: result.headHash })}\n`);
    io.stderr.write(`audit log intact: ${result.entries} entries; record this head outside the server, check it later with 'steward audit verify --expect-head'\n`);
  },
};
