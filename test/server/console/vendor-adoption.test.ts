// A vendor's adoption per release: devices of the models a release names that run it, by
// target path or by component and version; other vendors and merchants are refused.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { forEachDatabase } from '../../helpers/databases.js';
import { startFleetServer, type TestTerminal } from '../../helpers/fleet-harness.js';
import { errorCode, expectOk, publishRelease } from '../../helpers/server-harness.js';

interface Adoption {
  releases: { targetPath: string; version: string; devices: number; eligible: number }[];
  models: { hardwareModel: string; devices: number }[];
}

t.test('adoption counts the active devices running each release', async (t) => {
  await forEachDatabase(t, async (t, database) => {
    const fleet = await startFleetServer(t, { database: database.dialect });
    const acme = fleet.repo.vendors['acme']!;
    for (const [model, version] of [['t100', '1.0.0'], ['t100', '1.1.0'], ['t200', '2.0.0']] as const) {
      expectOk((await publishRelease(fleet, acme, { file: `${model}-${version}.bin`, bytes: randomBytes(64), version, hardwareIds: [model] })).response, 'publish');
    }
    const report = async (terminal: TestTerminal, installed: Record<string, string>[]) => expectOk(await terminal.checkIn({ installed }), 'check-in');
    const t100 = await Promise.all([1, 2, 3, 4].map((i) => fleet.enrolWithToken({ serial: `T100-${i}`, hardwareModel: 't100' })));
    const t200 = await fleet.enrolWithToken({ serial: 'T200-1', hardwareModel: 't200' });
    await fleet.enrolWithToken({ serial: 'T100-silent', hardwareModel: 't100' }); // never reports: eligible, runs nothing
    await report(t100[0]!, [{ component: 'firmware', version: '1.1.0', targetPath: 'acme/t100-1.1.0.bin' }]);
    await report(t100[1]!, [{ component: 'firmware', version: '1.1.0' }]); // no target path: matched by version
    await report(t100[2]!, [{ component: 'firmware', version: '1.0.0', targetPath: 'acme/t100-1.0.0.bin' }]);
    await report(t100[3]!, [{ component: 'firmware', version: '1.1.0', targetPath: 'other/t100-1.1.0.bin' }]); // another vendor's build
    await report(t200, [{ component: 'firmware', version: '2.0.0', targetPath: 'acme/t200-2.0.0.bin' }]);

    const response = await fleet.app.inject({ method: 'GET', url: '/v1/vendors/acme/adoption', headers: { authorization: `Bearer ${acme.token}` } });
    t.equal(response.statusCode, 200);
    const adoption = response.json<Adoption>();
    const byVersion = Object.fromEntries(adoption.releases.map((release) => [release.version, [release.devices, release.eligible]]));
    t.same(byVersion, { '1.0.0': [1, 5], '1.1.0': [2, 5], '2.0.0': [1, 1] });
    t.same(adoption.models, [{ hardwareModel: 't100', devices: 5 }, { hardwareModel: 't200', devices: 1 }]);

    // A disabled device no longer counts.
    expectOk(await fleet.app.inject({ method: 'POST', url: `/v1/operator/devices/${t100[0]!.deviceId}/disable`, headers: { authorization: `Bearer ${fleet.operatorToken}` } }), 'disable');
    const after = (await fleet.app.inject({ method: 'GET', url: '/v1/vendors/acme/adoption', headers: { authorization: `Bearer ${fleet.operatorToken}` } })).json<Adoption>();
    t.same(after.releases.find((release) => release.version === '1.1.0'), { ...after.releases.find((release) => release.version === '1.1.0'), devices: 1, eligible: 4 });
  });
});

t.test('a vendor without releases sees none, and only its own vendor', async (t) => {
  const fleet = await startFleetServer(t);
  const acme = fleet.repo.vendors['acme']!;
  const empty = await fleet.app.inject({ method: 'GET', url: '/v1/vendors/acme/adoption', headers: { authorization: `Bearer ${acme.token}` } });
  t.same(empty.json(), { releases: [], models: [] });
  const other = await fleet.app.inject({ method: 'GET', url: '/v1/vendors/zeta/adoption', headers: { authorization: `Bearer ${acme.token}` } });
  t.equal(other.statusCode, 403);
  t.equal(errorCode(other), 'STW_AUTH_FORBIDDEN');
  const anonymous = await fleet.app.inject({ method: 'GET', url: '/v1/vendors/acme/adoption' });
  t.equal(anonymous.statusCode, 401);
});
