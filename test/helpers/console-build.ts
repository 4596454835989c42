/**
 * The built console for browser tests: dist/console, built again when it is missing or older
 * than any file it is built from (console/, manifests/, the build script). Test files run in
 * parallel, so one build at a time holds a lock directory (mkdir is atomic); the others wait
 * for it and then find the build fresh.
 *
 * @example
 * const consoleDir = await ensureConsoleBuilt();
 */
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { buildConsole, CONSOLE_SOURCES, DEFAULT_CONSOLE_DIR } from '../../scripts/build-console.js';

const LOCK_WAIT_MS = 120_000;
const LOCK_POLL_MS = 100;

export async function ensureConsoleBuilt(outDir = DEFAULT_CONSOLE_DIR): Promise<string> {
  if (isFresh(outDir)) return outDir;
  const lock = `${outDir}.lock`;
  mkdirSync(join(outDir, '..'), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A stale lock (a build that died) is older than any build takes.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > LOCK_WAIT_MS) rmdirSync(lock, { recursive: false });
      if (Date.now() > deadline) throw new Error(`waited too long for ${lock}`, { cause: error });
      await delay(LOCK_POLL_MS); // waiting for another process's build, not for time to pass
    }
  }
  try {
    if (!isFresh(outDir)) await buildConsole({ outDir });
  } finally {
    rmdirSync(lock);
  }
  return outDir;
}

function isFresh(outDir: string): boolean {
  const built = statSync(join(outDir, 'index.html'), { throwIfNoEntry: false });
  return built !== undefined && newestSource() <= built.mtimeMs;
}

function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of CONSOLE_SOURCES) visit(source);
  return newest;
}
