/**
 * The fleet simulator end to end, in real time: a spawned development server, 20 SDK
 * terminals behind the fault proxy for a minute with every fault (dropped, slow and
 * truncated connections, power cuts during installs, server restarts), rates raised so each
 * one happens in so short a run. Every terminal converges on the new firmware and on the
 * merchant profile corrected a third of the way in, none is bricked, and no 5xx answer is left
 * that an injected fault does not explain.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, formatReport, resolveSimulationConfig, runSimulation } from '../../../server/simulator/index.js';

const TERMINALS = 20;

// A minute of faults, a few restarts of a child server, then time to settle: minutes on a loaded machine.
t.setTimeout(900_000);

t.test('20 terminals with every fault for a minute all converge, none bricked', async (t) => {
  const workDir = mkdtempSync(join(tmpdir(), 'steward-simulate-test-'));
  t.teardown(() => rmSync(workDir, { recursive: true, force: true }));
  const config = resolveSimulationConfig({
    terminals: TERMINALS,
    durationMs: 60_000,
    settleMs: 240_000,
    faults: new Set(FAULTS),
    pollIntervalSeconds: 10,
    seed: 7,
    rates: { drop: 0.05, slow: 0.1, slowMaxMs: 2_000, truncate: 0.5, powerCut: 0.5, powerOffMaxMs: 2_000, serverRestartEveryMs: 20_000, serverDownMs: 1_000 },
  });
  const notes: string[] = [];
  const report = await runSimulation({ config, server: { kind: 'spawn' }, workDir, log: (line) => notes.push(line) });
  t.comment(formatReport(report));

  t.equal(report.terminals.enrolled, TERMINALS, 'every terminal enrolled');
  t.equal(report.terminals.onIntendedVersion, TERMINALS, `every terminal runs ${report.intended.firmwareVersion}`);
  t.equal(report.terminals.onIntendedProfile, TERMINALS, `every terminal applied profile v${report.intended.profileVersion}`);
  t.ok((report.intended.profileVersion ?? 0) >= 2, 'the profile corrected during the run');
  t.equal(report.terminals.converged, TERMINALS);
  t.equal(report.terminals.bricked, 0, 'none bricked');
  t.equal(report.terminals.withSoftwareErrors, 0, 'no terminal software error');
  t.equal(report.http.fiveXxNotInjected, 0, 'every 5xx was caused by an injected fault');
  t.same(report.http.unexplained, []);
  t.ok(report.ok);

  // Each fault really happened.
  t.ok(report.faults.dropBefore + report.faults.dropAfter > 0, 'connections were dropped');
  t.ok(report.faults.slow > 0, 'answers were slowed');
  t.ok(report.faults.truncate > 0, 'downloads were truncated');
  t.ok(report.faults.powerCuts > 0, 'power was cut during installs');
  t.ok(report.faults.serverRestarts > 0, 'the server was restarted');
  t.ok(report.server?.rssEndBytes !== null && (report.server?.rssEndBytes ?? 0) > 0, 'the server RSS was sampled');
  t.ok(notes.some((line) => line.startsWith('server restarted')), 'the restarts were logged');
});
