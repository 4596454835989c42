/**
 * Where the built console is: `config.consoleDir` when set, else `dist/console` of the
 * package this module belongs to (found by walking up to its package.json), so the server
 * finds it whether it runs from source (tsx) or from dist/.
 *
 * @example
 * resolveConsoleDir(''); // '/srv/steward/dist/console'
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function resolveConsoleDir(configured: string): string {
  if (configured !== '') return resolve(configured);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'console');
    const parent = dirname(dir);
    if (parent === dir) return resolve('dist', 'console');
    dir = parent;
  }
}
