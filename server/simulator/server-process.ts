/**
 * `steward serve` as a child process the simulator owns (`--spawn-server`): started on a
 * fixed loopback port over a data directory, stopped with SIGTERM and started again for the
 * server-restart fault, its resident memory read from /proc/<pid>/status (VmRSS).
 *
 * The CLI entry is this installation's own (`server/cli/main.js` next to this module, or
 * `main.ts` when running from source under a TypeScript loader, whose flags the child
 * inherits through `process.execArgv`).
 *
 * @example
 * const server = await ServerProcess.start({ dataDir, port, configFile });
 * server.rssBytes(); await server.restart(3_000); await server.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ServerProcessOptions {
  readonly dataDir: string;
  readonly port: number;
  /** A JSON config file (STEWARD_CONFIG) with the simulator's settings. */
  readonly configFile: string;
  /** Extra environment (e.g. DATABASE_URL). */
  readonly env?: NodeJS.ProcessEnv;
  /** Longest wait for /healthz after a start; milliseconds. */
  readonly startTimeoutMs?: number;
}

const CLI_MAIN = fileURLToPath(new URL(`../cli/main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export class ServerProcess {
  readonly url: string;
  readonly #options: ServerProcessOptions;
  #child: ChildProcess | undefined;
  #output = '';
  #pending = '';
  readonly #errors: string[] = [];
  /** Process ids in start order (one per restart). */
  readonly pids: number[] = [];

  private constructor(options: ServerProcessOptions) {
    this.#options = options;
    this.url = `http://127.0.0.1:${options.port}`;
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const server = new ServerProcess(options);
    await server.#spawn();
    return server;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** VmRSS of the running process, bytes; undefined when it is not running. */
  rssBytes(): number | undefined {
    const pid = this.#child?.exitCode === null ? this.#child.pid : undefined;
    if (pid === undefined) return undefined;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Error log lines (pino level >= 50), newest last, as `time message: error`; at most `limit`. */
  errors(limit = 20): string[] {
    return this.#errors.slice(-limit);
  }

  /** The last lines the server printed (for failure reports). */
  output(): string {
    return this.#output.split('\n').slice(-40).join('\n');
  }

  /** SIGTERM (graceful close), down for `downMs`, then a new process on the same port. */
  async restart(downMs: number): Promise<void> {
    await this.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.#spawn();
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  #noteError(line: string): void {
    let entry: { level?: number; time?: number; msg?: string; err?: { message?: string; code?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    if ((entry.level ?? 0) < 50 || this.#errors.length >= 1000) return;
    this.#errors.push(`${new Date(entry.time ?? 0).toISOString()} ${entry.msg ?? ''}: ${entry.err?.code ?? ''} ${entry.err?.message ?? ''}`.trim());
  }

  async #spawn(): Promise<void> {
    const { dataDir, port, configFile } = this.#options;
    const child = spawn(process.execPath, [...process.execArgv, CLI_MAIN, 'serve', '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1'], {
      env: { ...process.env, ...this.#options.env, STEWARD_CONFIG: configFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      this.#output = (this.#output + text).slice(-20_000);
      const lines = (this.#pending + text).split('\n');
      this.#pending = lines.pop() ?? '';
      for (const line of lines) this.#noteError(line);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (child.pid !== undefined) this.pids.push(child.pid);
    const deadline = Date.now() + (this.#options.startTimeoutMs ?? 120_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${this.output()}`);
      try {
        const health = await fetch(`${this.url}/healthz`);
        await health.arrayBuffer();
        if (health.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within the start timeout:\n${this.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
