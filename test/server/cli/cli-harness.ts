/**
 * Running `steward` in tests: as a child process (`process.execPath` with this process's
 * `execArgv`, so tap's TypeScript loader is inherited), in-process with captured output,
 * and against a real server on 127.0.0.1 (port 0) over a temporary data directory.
 *
 * @example
 * const work = await makeWorkDir(t);
 * const init = await steward(['init', '--data-dir', work.dataDir]);
 * const server = await startServer(t, work.dataDir);
 * await steward(['release', 'list', '--vendor', 'acme'], { env: { STEWARD_URL: server.url, STEWARD_TOKEN: token } });
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { buildServer, resolveConfig } from '../../../server/index.js';
import { runCli, type CliIo } from '../../../server/cli/index.js';

export const CLI_MAIN = fileURLToPath(new URL('../../../server/cli/main.ts', import.meta.url));

export interface StewardRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without any STEWARD_* or DATABASE_URL of the caller's. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('STEWARD_') && name !== 'DATABASE_URL' && name !== 'PORT') env[name] = value;
  return { ...env, ...extra };
}

export function steward(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<StewardRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CLI_MAIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The `error STW_...:` code a failed run printed, if any. */
export function printedCode(run: StewardRun): string | undefined {
  return /^error (STW_[A-Z0-9_]+):/m.exec(run.stderr)?.[1];
}

/** The first `stw_...` token in some output. */
export function tokenIn(text: string): string {
  const token = /stw_[A-Za-z0-9_-]+/.exec(text)?.[0];
  if (!token) throw new Error(`no token in output:\n${text}`);
  return token;
}

export interface WorkDir {
  readonly dir: string;
  readonly dataDir: string;
  path(name: string): string;
}

export function makeWorkDir(t: Test): WorkDir {
  const dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, dataDir: join(dir, 'data'), path: (name) => join(dir, name) };
}

/** A server over `dataDir` (as `steward init --data-dir` laid it out), listening on 127.0.0.1:0. */
export async function startServer(t: Test, dataDir: string): Promise<{ url: string; app: FastifyInstance }> {
  const config = resolveConfig({
    host: '127.0.0.1',
    port: 0,
    databaseUrl: `sqlite:${join(dataDir, 'steward.db')}`,
    blobs: { kind: 'fs', dir: join(dataDir, 'blobs') },
    keysDir: join(dataDir, 'keys'),
    logLevel: 'silent',
    resignIntervalSeconds: 0,
  });
  const app = await buildServer(config);
  t.teardown(() => app.close());
  const url = await app.listen({ host: config.host, port: 0 });
  return { url, app };
}

/** An in-process CliIo that records what is written. */
export function memoryIo(options: { env?: NodeJS.ProcessEnv; now?: () => number; tty?: boolean } = {}): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty ?? false },
    env: options.env ?? {},
    now: options.now ?? (() => Date.parse('2026-11-27T12:00:00Z')),
    out: () => out,
    err: () => err,
  };
}

/** `steward ...` in this process (fast; for setting the stage of a spawned run). */
export async function stewardInProcess(args: readonly string[], env: Record<string, string> = {}): Promise<StewardRun> {
  const io = memoryIo({ env: cleanEnv(env), now: () => Date.now() });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
