// npm run demo: the scripted story of server/simulator/demo-story.ts against the server that
// `npm start` runs (data under ./data). Server: $STEWARD_URL, else http://127.0.0.1:$STEWARD_PORT
// (default 8080); data directory: $STEWARD_DATA_DIR, else ./data. Exit code 1 when an outcome
// is not the expected one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDemo } from '../server/simulator/demo-story.js';

const serverUrl = (process.env['STEWARD_URL'] ?? `http://127.0.0.1:${process.env['STEWARD_PORT'] ?? '8080'}`).replace(/\/+$/, '');
const dataDir = resolve(process.env['STEWARD_DATA_DIR'] ?? './data');
const workDir = await mkdtemp(join(tmpdir(), 'steward-demo-'));
try {
  const health = await fetch(`${serverUrl}/healthz`).catch(() => undefined);
  if (health?.status !== 200) {
    process.stderr.write(`no Steward server answers at ${serverUrl}: start one with 'npm start' (or set STEWARD_URL)\n`);
    process.exitCode = 1;
  } else {
    const result = await runDemo({ serverUrl, dataDir, workDir, out: process.stdout, err: process.stderr });
    process.exitCode = result.ok ? 0 : 1;
  }
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await rm(workDir, { recursive: true, force: true });
}
