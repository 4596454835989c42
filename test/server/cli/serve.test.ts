// `steward serve` as the operator runs it: a child process that listens, logs its URL, and
// closes gracefully on SIGTERM with exit code 0.
import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI_MAIN, cleanEnv, makeWorkDir, stewardInProcess } from './cli-harness.js';

t.setTimeout(240_000); // the child loads the TypeScript loader and the whole server

t.test('serve listens on the configured port, answers, and stops on SIGTERM', async (t) => {
  const work = makeWorkDir(t);
  t.equal((await stewardInProcess(['init', '--data-dir', work.dataDir])).code, 0);
  const child = spawn(process.execPath, [...process.execArgv, CLI_MAIN, 'serve', '--data-dir', work.dataDir, '--port', '0'], {
    env: cleanEnv({ STEWARD_LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const logs: Array<Record<string, unknown>> = [];
  let buffered = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // not a log line
        }
        logs.push(entry);
        if (entry['msg'] === 'steward listening' && typeof entry['url'] === 'string') resolve(entry['url']);
      }
    });
    void exited.then(([code]) => reject(new Error(`serve exited ${code} before listening: ${stderr}`)));
  });
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${url}/healthz`);
  t.equal(health.status, 200);
  t.same(await health.json(), { status: 'ok' });

  child.kill('SIGTERM');
  const [code, signal] = await exited;
  t.equal(code, 0, 'exit code 0 after a graceful close');
  t.equal(signal, null);
  t.ok(logs.some((entry) => entry['msg'] === 'shutting down' && entry['signal'] === 'SIGTERM'));
  await t.rejects(fetch(`${url}/healthz`), 'nothing listens any more');
});
