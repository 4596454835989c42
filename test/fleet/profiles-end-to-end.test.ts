// End to end over real HTTP: a merchant proposes a settlement-account fix, a second operator
// approves it, the merchant's terminals (SDK agents with a ProfileApplier) fetch the signed
// profile, apply it and report; the terminal whose self-check fails rolls back and is shown
// lagging, with the reason.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../device-sdk/agent/index.js';
import { FileSlotInstaller } from '../../device-sdk/install/index.js';
import { ProfileApplier } from '../../device-sdk/profile/index.js';
import { createUser } from '../../server/accounts/users.js';
import { DATABASE_KINDS } from '../helpers/databases.js';
import { SimHost } from '../helpers/fleet-sim.js';
import { enrolmentToken } from '../helpers/fleet-sim-server.js';
import { fullMerchantLayer, OLD_IBAN, PASSWORD } from '../helpers/profile-server.js';
import { FleetWorld } from './fixtures/fleet-world.js';

const NEW_IBAN = 'DE89370400440532013000';

interface Terminal {
  readonly agent: Agent;
  readonly profiles: ProfileApplier;
  readonly directory: string;
  dueAt: number;
  checks: number;
}

for (const database of DATABASE_KINDS) {
  t.test(`on ${database}: a settlement-account fix reaches the merchant's terminals; the one whose check fails lags`, async (t) => {
    const world = await FleetWorld.create(t, { database });
    const { server, clock } = world;
    const http = async (token: string | undefined, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, text, json: <T>() => JSON.parse(text) as T };
    };
    const signIn = async (username: string): Promise<string> => {
      const response = await http(undefined, 'POST', '/v1/sessions', { username, password: PASSWORD });
      t.equal(response.status, 201, `${username} signs in`);
      return response.json<{ token: string }>().token;
    };

    // People: two operators (created on the server host, as the CLI does), a merchant and its clerk.
    for (const username of ['ana', 'bob']) await createUser(server.database.db, { username, role: 'operator', password: PASSWORD }, clock.now);
    const ana = await signIn('ana');
    const bob = await signIn('bob');
    t.equal((await http(server.operatorToken, 'POST', '/v1/merchants', { id: 'M1', name: 'Cafe Lumen' })).status, 201);
    t.equal((await http(ana, 'POST', '/v1/merchants/M1/users', { username: 'clerk', password: PASSWORD })).status, 201);
    const clerk = await signIn('clerk');
    const first = await http(ana, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: fullMerchantLayer() });
    t.equal(first.json<{ state: string }>().state, 'pending', 'the first full profile has an account: it waits for a checker');
    t.equal((await http(bob, 'POST', `/v1/profile-changes/${first.json<{ id: string }>().id}/approve`)).status, 200);

    // Three terminals; the third one's payment application refuses the new account.
    const root = mkdtempSync(join(tmpdir(), 'steward-profile-e2e-'));
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    const token = await enrolmentToken(server, { hardwareModel: 't100', uses: 3 });
    const terminals: Terminal[] = [];
    for (let index = 0; index < 3; index++) {
      const directory = join(root, `terminal-${index}`);
      const installer = await FileSlotInstaller.provision(join(directory, 'slots'), Buffer.from(`factory ${index}`), '1.0.0');
      const terminal = { directory, dueAt: clock.now.getTime(), checks: 0 } as Terminal;
      const profiles = new ProfileApplier(
        {
          checkProfile: async (_version, bytes) => {
            terminal.checks++;
            return index !== 2 || !Buffer.from(bytes).toString('utf8').includes(NEW_IBAN);
          },
        },
        { directory: join(directory, 'profile'), now: () => clock.now },
      );
      const agent = new Agent({
        serverUrl: server.url!,
        stateDirectory: directory,
        enrolment: { kind: 'token', token, serial: `T100-E2E-${index}`, hardwareModel: 't100' },
        host: new SimHost(installer, () => true),
        components: { firmware: installer },
        profiles,
        config: { now: () => clock.now, random: Math.random, sleep: async () => {} },
      });
      Object.assign(terminal, { agent, profiles });
      terminals.push(terminal);
    }
    const runAll = async (ms: number): Promise<void> => {
      const end = clock.now.getTime() + ms;
      for (let round = 0; round < 500; round++) {
        const next = Math.min(...terminals.map((terminal) => terminal.dueAt));
        if (next > end) break;
        if (next > clock.now.getTime()) clock.now = new Date(next);
        for (const terminal of terminals.filter((candidate) => candidate.dueAt <= clock.now.getTime())) {
          const result = await terminal.agent.cycle();
          terminal.dueAt = clock.now.getTime() + Math.max(result.delayMs, 1);
        }
      }
      clock.now = new Date(Math.max(clock.now.getTime(), end));
    };

    await runAll(1_000);
    const deviceIds: string[] = [];
    for (const [index, terminal] of terminals.entries()) {
      const deviceId = (await terminal.agent.identity())?.deviceId;
      t.match(deviceId, /^dev_/, `terminal ${index} enrolled`);
      deviceIds.push(deviceId!);
      t.equal((await http(server.operatorToken, 'PUT', `/v1/merchants/M1/terminals/${deviceId}`, { terminalId: `TID-${index}` })).status, 200);
    }
    await runAll(30 * 60_000);
    for (const terminal of terminals) t.equal(await terminal.profiles.appliedVersion(), 1, 'every terminal applied version 1');
    for (const terminal of terminals) t.match(await readFile(join(terminal.directory, 'profile', 'profile.json'), 'utf8'), OLD_IBAN);

    // The merchant proposes the fix: it waits; terminals keep the old account meanwhile.
    const proposed = await http(clerk, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { settlement_account: { type: 'iban', iban: NEW_IBAN, bic: 'COBADEFFXXX' } } });
    t.equal(proposed.status, 202, 'accepted, waiting for approval');
    const change = proposed.json<{ id: string; state: string }>();
    t.equal(change.state, 'pending');
    t.notMatch(proposed.text, NEW_IBAN, 'the answer masks the account');
    await runAll(30 * 60_000);
    for (const terminal of terminals) t.equal(await terminal.profiles.appliedVersion(), 1, 'nothing changes before approval');

    // An operator approves: not ana, who created the clerk's account (she could have made a
    // puppet requester). Terminals fetch, verify and apply; one rolls back.
    t.equal((await http(ana, 'POST', `/v1/profile-changes/${change.id}/approve`)).status, 403, 'the operator who created the requesting account may not approve');
    const approved = await http(bob, 'POST', `/v1/profile-changes/${change.id}/approve`);
    t.equal(approved.status, 200, approved.text);
    await runAll(30 * 60_000);
    for (const index of [0, 1]) {
      t.equal(await terminals[index]!.profiles.appliedVersion(), 2, `terminal ${index} applied version 2`);
      t.match(await readFile(join(terminals[index]!.directory, 'profile', 'profile.json'), 'utf8'), NEW_IBAN);
    }
    t.equal(await terminals[2]!.profiles.appliedVersion(), 1, 'the terminal whose check failed kept version 1');
    t.match(await readFile(join(terminals[2]!.directory, 'profile', 'profile.json'), 'utf8'), OLD_IBAN, 'and the old account');
    t.ok(terminals[2]!.checks >= 2, 'its check ran on the new profile');

    const view = await http(clerk, 'GET', '/v1/merchants/M1/profile');
    t.equal(view.status, 200, 'the merchant reads its profile');
    t.notMatch(view.text, NEW_IBAN, 'the merchant view masks the account');
    t.match(view.json(), {
      adoption: { version: 2, applied: 2, total: 3, lagging: [{ deviceId: deviceIds[2], terminalId: 'TID-2', profileVersion: 1, reason: 'rolled-back' }] },
    }, 'applied on 2 of 3 terminals; the third lags because it rolled back');
    const terminal = await http(server.operatorToken, 'GET', `/v1/operator/devices/${deviceIds[2]}`);
    t.ok(terminal.json<{ flags: string[] }>().flags.includes('profile-not-applied'), 'the operator sees the profile-not-applied flag');
  });
}
