/**
 * What the out-of-box tests share: building the CLI as `npm run build` does (tsc with
 * tsconfig.build.json) into a scratch directory, a free loopback port, and `steward serve`
 * (or any command that ends up serving) as a child process that is stopped at teardown.
 *
 * @example
 * const built = await buildCli(t);                         // <scratch>/dist/server/cli/main.js
 * const server = await startServing(t, [built.main, 'serve'], { cwd, env });
 * await fetch(`${server.url}/healthz`);
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without the caller's STEWARD_*, DATABASE_URL or PORT. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('STEWARD_') && name !== 'DATABASE_URL' && name !== 'PORT') env[name] = value;
  return { ...env, ...extra };
}

/** Runs a program to its end, capturing its output. */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `tsc -p tsconfig.build.json` into a scratch directory that resolves the repository's node_modules. */
export async function buildCli(t: Test): Promise<{ root: string; main: string }> {
  const root = mkdtempSync(join(tmpdir(), 'steward-built-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = await run(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(root, 'dist'), '--declaration', 'false', '--sourceMap', 'false'], { cwd: REPO });
  if (built.code !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
  return { root, main: join(root, 'dist', 'server', 'cli', 'main.js') };
}

/** A TCP port nobody listens on right now (127.0.0.1). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Serving {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `command args` (which must end up in `steward serve`) and resolves once the server
 * answers /healthz at `http://127.0.0.1:<port>`.
 */
export async function startServing(t: Test, command: string, args: readonly string[], options: { cwd: string; port: number; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Serving> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv({ STEWARD_PORT: String(options.port) }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = once(child, 'exit');
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    // The whole group: `npm start` runs node under a shell.
    process.kill(-(child.pid ?? 0), 'SIGTERM');
    const [code] = (await exited) as [number | null];
    return code;
  };
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
      await exited;
    }
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before serving:\n${output}`);
    try {
      const health = await fetch(`${url}/healthz`);
      if (health.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not serving after ${options.timeoutMs ?? 300_000} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, child, output: () => output, stop };
}
