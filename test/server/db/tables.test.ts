import { createHash } from 'node:crypto';
import t from 'tap';
import { toNumber, type NewApiToken, type NewBlob, type NewMetadata, type NewRelease, type NewVendor } from '../../../server/db/index.js';
import { forEachDatabase } from '../../helpers/databases.js';

const NOW = '2026-11-27T08:00:00.000Z';
const vendor: NewVendor = { id: 'acme', name: 'Acme Terminals', created_at: NOW };
const token: NewApiToken = { id: 'tok-1', token_hash: 'ab'.repeat(32), scope: 'vendor:acme', label: 'ci', created_at: NOW, revoked_at: null, user_id: null, expires_at: null };
const blob: NewBlob = { sha256: 'cd'.repeat(32), sha512: 'ef'.repeat(64), length: 6 * 1024 ** 3, created_at: NOW };
const signedJson = '{"signatures":[],"signed":{"_type":"timestamp","version":1,"note":"é"}}';
const metadata: NewMetadata = {
  role: 'timestamp',
  version: 1,
  body: signedJson,
  sha256: createHash('sha256').update(signedJson, 'utf8').digest('hex'),
  length: Buffer.byteLength(signedJson, 'utf8'),
  created_at: NOW,
};
const release: NewRelease = {
  target_path: 'acme/pos-fw-2.1.0.bin',
  vendor_id: 'acme',
  component: 'firmware',
  version: '2.1.0',
  hardware_ids: JSON.stringify(['acme-a920', 'acme-a80']),
  min_from_version: null,
  notes: 'fixes EMV kernel timeout',
  length: 5_000_000_000,
  sha256: '12'.repeat(32),
  created_at: NOW,
};

t.test('every table returns what was written, with lengths as numbers on both dialects', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await db.insertInto('vendors').values(vendor).execute();
    await db.insertInto('api_tokens').values(token).execute();
    await db.insertInto('blobs').values(blob).execute();
    await db.insertInto('metadata').values(metadata).execute();
    await db.insertInto('releases').values(release).execute();

    t.same(await db.selectFrom('vendors').selectAll().execute(), [vendor]);
    t.same(await db.selectFrom('api_tokens').selectAll().execute(), [token]);
    t.strictSame(await db.selectFrom('blobs').selectAll().execute(), [blob], 'a 6 GiB length survives as a number');
    t.strictSame(await db.selectFrom('metadata').selectAll().execute(), [metadata]);
    t.strictSame(await db.selectFrom('releases').selectAll().execute(), [release]);
  });
});

t.test('the signed metadata body reads back byte for byte, so its stored hash still matches', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await db.insertInto('metadata').values(metadata).execute();
    const row = await db.selectFrom('metadata').select(['body', 'sha256', 'length']).where('role', '=', 'timestamp').where('version', '=', 1).executeTakeFirstOrThrow();
    const bytes = Buffer.from(row.body, 'utf8');
    t.equal(createHash('sha256').update(bytes).digest('hex'), row.sha256);
    t.equal(bytes.length, row.length);
  });
});

t.test('the newest version of a role is one ordered query on both dialects', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    for (const version of [1, 2, 10]) await db.insertInto('metadata').values({ ...metadata, version }).execute();
    const newest = await db.selectFrom('metadata').select('version').where('role', '=', 'timestamp').orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
    t.equal(newest.version, 10, 'versions order numerically, not as text');
  });
});

t.test('a token can be revoked and its revocation time read back', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await db.insertInto('api_tokens').values(token).execute();
    const revokedAt = '2026-11-28T00:00:00.000Z';
    const result = await db.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', token.id).where('revoked_at', 'is', null).executeTakeFirst();
    t.equal(Number(result.numUpdatedRows), 1);
    const row = await db.selectFrom('api_tokens').select('revoked_at').where('id', '=', token.id).executeTakeFirstOrThrow();
    t.equal(row.revoked_at, revokedAt);
  });
});

t.test('counts and sums read through toNumber are numbers on both dialects', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await db.insertInto('vendors').values(vendor).execute();
    await db.insertInto('releases').values([release, { ...release, target_path: 'acme/pos-fw-2.2.0.bin', version: '2.2.0' }]).execute();
    const row = await db
      .selectFrom('releases')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum<string | number>('length').as('total')])
      .executeTakeFirstOrThrow();
    t.equal(toNumber(row.n), 2);
    t.equal(toNumber(row.total), 10_000_000_000);
  });
});

t.test('a release for an unknown vendor is refused by the foreign key on both dialects', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await t.rejects(db.insertInto('releases').values({ ...release, vendor_id: 'nobody' }).execute());
    t.same(await db.selectFrom('releases').selectAll().execute(), []);
  });
});

t.test('a metadata version below 1 is refused (TUF versions start at 1)', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await t.rejects(db.insertInto('metadata').values({ ...metadata, version: 0 }).execute());
  });
});
