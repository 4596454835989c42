// `steward user add` / `user list`: the only way to create operators, audited as user.created.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import t, { type Test } from 'tap';
import { checkCredentials } from '../../../server/accounts/users.js';
import { verifyAuditChain } from '../../../server/audit/index.js';
import { runCli } from '../../../server/cli/index.js';
import { openDatabase } from '../../../server/db/index.js';
import type { Database } from '../../../server/db/schema.js';
import { DATABASE_KINDS, withTestDatabase, type DatabaseKind } from '../../helpers/databases.js';
import { CLI_MAIN, cleanEnv, makeWorkDir, memoryIo, printedCode, stewardInProcess, type StewardRun } from './cli-harness.js';

const PASSWORD = 'correct horse battery staple';
const NOW = Date.parse('2026-11-30T10:00:00Z');

/** In this process, with `input` as stdin. */
async function run(args: readonly string[], env: Record<string, string>, input?: string): Promise<StewardRun> {
  const io = { ...memoryIo({ env: cleanEnv(env), now: () => NOW }), ...(input === undefined ? {} : { stdin: Readable.from([Buffer.from(input)]) }) };
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** The real executable, with `input` piped to its stdin. */
function spawned(args: readonly string[], env: Record<string, string>, input: string): Promise<StewardRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CLI_MAIN, ...args], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A database for the CLI: a SQLite data directory, or a PostgreSQL database named by DATABASE_URL. */
async function serverHost(t: Test, kind: DatabaseKind): Promise<{ db: Kysely<Database>; env: Record<string, string>; args: string[] }> {
  if (kind === 'postgres') {
    const { db, url } = await withTestDatabase(t, 'postgres');
    return { db, env: { DATABASE_URL: url }, args: [] };
  }
  const work = makeWorkDir(t);
  t.equal((await stewardInProcess(['init', '--data-dir', work.dataDir])).code, 0);
  const database = openDatabase({ url: `sqlite:${join(work.dataDir, 'steward.db')}` });
  t.teardown(() => database.close());
  return { db: database.db, env: {}, args: ['--data-dir', work.dataDir] };
}

t.test('through the real executable: a password from stdin is stored hashed and never printed', async (t) => {
  const { db, env, args } = await serverHost(t, 'sqlite');
  const created = await spawned(['user', 'add', '--username', 'Ana', '--role', 'operator', '--password-stdin', ...args], env, `${PASSWORD}\n`);
  t.equal(created.code, 0, created.stderr);
  t.match(created.stdout, /^created operator user ana \(id usr_[0-9a-f-]+\)$/m);
  t.notMatch(created.stdout + created.stderr, PASSWORD, 'the password is not echoed');
  const row = await db.selectFrom('users').selectAll().where('username', '=', 'ana').executeTakeFirstOrThrow();
  t.match(row.password_hash, /^scrypt\$/);
  t.notMatch(row.password_hash, PASSWORD);
  t.equal(row.tenant_id, null, 'an operator needs no tenant');
  t.equal((await checkCredentials(db, 'ana', PASSWORD))?.id, row.id, 'the line break ending stdin is not part of the password');
});

for (const kind of DATABASE_KINDS) {
  t.test(`${kind}: user add is audited, refuses duplicates and unknown merchants, and user list shows the result`, async (t) => {
    const { db, env, args } = await serverHost(t, kind);
    const generated = await run(['user', 'add', '--username', 'root-op', '--role', 'operator', ...args], env);
    t.equal(generated.code, 0, generated.stderr);
    const password = /shown this once, keep it secret:\n {2}(\S+)\n/.exec(generated.stdout)?.[1] ?? '';
    t.ok(password.length >= 24, 'a generated password of 144 random bits is printed once');
    t.ok(await checkCredentials(db, 'root-op', password), 'and signs in');

    const duplicate = await run(['user', 'add', '--username', 'ROOT-OP', '--role', 'operator', '--password-stdin', ...args], env, PASSWORD);
    t.equal(duplicate.code, 1);
    t.equal(printedCode(duplicate), 'STW_USER_EXISTS');

    const unknown = await run(['user', 'add', '--username', 'mo', '--role', 'merchant', '--tenant', 'M1', '--password-stdin', ...args], env, PASSWORD);
    t.equal(printedCode(unknown), 'STW_MERCHANT_UNKNOWN');
    await db.insertInto('merchants').values({ id: 'M1', name: 'Merchant One', webhook_url: null, webhook_secret: null, fee_bounds: null, created_at: new Date(NOW).toISOString() }).execute();
    const merchant = await run(['user', 'add', '--username', 'mo', '--role', 'merchant', '--tenant', 'M1', '--password-stdin', ...args], env, PASSWORD);
    t.equal(merchant.code, 0, merchant.stderr);
    t.match(merchant.stdout, /created merchant user mo for M1/);
    t.notMatch(merchant.stdout, /password/, 'no password is printed when it came from stdin');

    const entries = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    t.same(
      entries.map((entry) => [entry.seq, entry.actor, entry.action, entry.tenant_id]),
      [
        [1, 'system:cli', 'user.created', null],
        [2, 'system:cli', 'user.created', 'M1'],
      ],
      'one entry per user created; none for the refused ones',
    );
    const mo = await db.selectFrom('users').select(['id', 'password_hash']).where('username', '=', 'mo').executeTakeFirstOrThrow();
    t.equal(entries[1]?.subject, `user:${mo.id}`);
    t.same(JSON.parse(entries[1]?.after ?? 'null'), { id: mo.id, username: 'mo', role: 'merchant', tenantId: 'M1' });
    t.notMatch(JSON.stringify(entries), mo.password_hash.slice(-20), 'the audit entry holds no password hash');
    t.equal((await verifyAuditChain(db)).ok, true);

    const list = await run(['user', 'list', ...args], env);
    t.equal(list.code, 0);
    t.same(list.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/).slice(0, 3)), [['mo', 'merchant', 'M1'], ['root-op', 'operator', '-']]);
    const json = JSON.parse((await run(['user', 'list', '--role', 'merchant', '--json', ...args], env)).stdout) as { users: { username: string }[] };
    t.same(json.users.map((user) => user.username), ['mo']);
    t.notMatch((await run(['user', 'list', '--json', ...args], env)).stdout, /scrypt/, 'no password hashes');
  });
}

t.test('user add refuses a malformed command line before touching the database', async (t) => {
  const work = makeWorkDir(t);
  const args = ['--data-dir', work.path('never-created')];
  const cases: [string, string[]][] = [
    ['an operator with a tenant', ['--username', 'a1', '--role', 'operator', '--tenant', 'M1']],
    ['a merchant without a tenant', ['--username', 'a1', '--role', 'merchant']],
    ['an unknown role', ['--username', 'a1', '--role', 'admin']],
  ];
  for (const [name, options] of cases) {
    const result = await run(['user', 'add', ...options, ...args], {});
    t.equal(result.code, 2, name);
    t.equal(printedCode(result), 'STW_CLI_USAGE', name);
  }
  const twoLines = await run(['user', 'add', '--username', 'a1', '--role', 'operator', '--password-stdin', ...args], {}, `${PASSWORD}\nmore\n`);
  t.equal(printedCode(twoLines), 'STW_CLI_USAGE', 'a password of two lines');
  t.notOk(existsSync(work.path('never-created')), 'no database was created');
});

t.test('a password from stdin that is too short is refused by the account rules', async (t) => {
  const { env, args } = await serverHost(t, 'sqlite');
  const result = await run(['user', 'add', '--username', 'short', '--role', 'operator', '--password-stdin', ...args], env, 'short\n');
  t.equal(printedCode(result), 'STW_USER_INVALID');
});
