/** `steward user list`: the users in the server host's database (never their password hashes). */
import type { UserRole } from '../../accounts/account-tables.js';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { prettyJson } from '../files.js';
import { formatTable } from '../table.js';
import { databaseOptionNote, withLocalDatabase } from './local-database.js';
import { dataDirOption } from './shared-options.js';

const ROLES: readonly string[] = ['operator', 'merchant', 'vendor'];

export const userList: Command = {
  words: ['user', 'list'],
  summary: 'List users: username, role, tenant, created, status',
  options: {
    ...dataDirOption,
    role: { kind: 'string', value: 'ROLE', description: 'only operator, merchant or vendor users' },
    tenant: { kind: 'string', value: 'ID', description: 'only users of this merchant or vendor' },
    json: { kind: 'boolean', description: 'JSON instead of a table' },
  },
  details: databaseOptionNote,
  async run({ args, io }) {
    const role = args.optionalString('role');
    if (role !== undefined && !ROLES.includes(role)) throw usageError(`--role must be one of ${ROLES.join(', ')}`);
    const tenant = args.optionalString('tenant');
    const { listUsers } = await import('../../accounts/users.js');
    const users = await withLocalDatabase(args, io, (db) => listUsers(db, { ...(role === undefined ? {} : { role: role as UserRole }), ...(tenant === undefined ? {} : { tenantId: tenant }) }));
    if (args.flag('json')) {
      io.stdout.write(prettyJson({ users }));
      return;
    }
    const rows = users.map((user) => [user.username, user.role, user.tenantId ?? '-', user.createdAt, user.disabled ? 'disabled' : 'active', user.id]);
    io.stdout.write(formatTable(['USERNAME', 'ROLE', 'TENANT', 'CREATED', 'STATUS', 'ID'], rows));
  },
};
