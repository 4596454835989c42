/** `steward audit list`: audit entries as a table (or JSON), oldest first, from the server host's database. */
import type { Command } from '../command.js';
import { prettyJson } from '../files.js';
import { formatTable } from '../table.js';
import { databaseOptionNote, withLocalDatabase } from './local-database.js';
import { dataDirOption } from './shared-options.js';

export const auditList: Command = {
  words: ['audit', 'list'],
  summary: 'List audit entries (oldest first; --newest for the latest)',
  options: {
    ...dataDirOption,
    after: { kind: 'string', value: 'SEQ', description: 'only entries after SEQ' },
    before: { kind: 'string', value: 'SEQ', description: 'only entries before SEQ' },
    tenant: { kind: 'string', value: 'ID', description: 'only entries of this merchant or vendor' },
    limit: { kind: 'string', value: 'N', description: 'at most N entries (default 50)' },
    newest: { kind: 'boolean', description: 'the newest entries, newest first' },
    json: { kind: 'boolean', description: 'the entries as JSON, with before and after' },
  },
  details: databaseOptionNote,
  async run({ args, io }) {
    const after = args.optionalInteger('after');
    const before = args.optionalInteger('before', { min: 1 });
    const newest = args.flag('newest');
    const tenant = args.optionalString('tenant');
    const limit = args.integer('limit', { min: 1, max: 10_000, fallback: 50 });
    const { listAudit } = await import('../../audit/audit-query.js');
    const page = await withLocalDatabase(args, io, (db) =>
      listAudit(db, { limit, order: newest ? 'desc' : 'asc', ...(after === undefined ? {} : { after }), ...(before === undefined ? {} : { before }), ...(tenant === undefined ? {} : { tenantId: tenant }) }),
    );
    if (args.flag('json')) {
      io.stdout.write(prettyJson(page));
      return;
    }
    const rows = page.entries.map((entry) => [String(entry.seq), entry.at, entry.actor, entry.action, entry.tenantId ?? '-', entry.subject]);
    io.stdout.write(formatTable(['SEQ', 'AT', 'ACTOR', 'ACTION', 'TENANT', 'SUBJECT'], rows));
    if (page.next !== null) io.stderr.write(`more entries: ${newest ? '--before' : '--after'} ${page.next}\n`);
  },
};
