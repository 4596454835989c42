/**
 * Builds the web console (console/src) into static files the server serves at /console:
 * `index.html`, and `assets/app-<hash>.js` / `assets/app-<hash>.css` (content-hashed, so
 * the server may tell browsers to keep them for a year). No CDN and no inline script: the
 * page's Content-Security-Policy allows only its own origin.
 *
 * The build goes to a fresh directory next to the destination and replaces it in one
 * rename, so a server reading the directory never sees half a build.
 *
 * @example
 * npx tsx scripts/build-console.ts            # -> dist/console
 * await buildConsole({ outDir: '/tmp/console' });
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CONSOLE_DIR = join(PACKAGE_ROOT, 'dist', 'console');
/** What a build reads: a change under any of these makes dist/console stale. */
export const CONSOLE_SOURCES = ['console', 'manifests', 'scripts/build-console.ts'].map((path) => join(PACKAGE_ROOT, path));

export interface BuildConsoleOptions {
  /** Where to write (default dist/console). */
  readonly outDir?: string;
  /** Minify (default true). */
  readonly minify?: boolean;
}

export interface BuiltConsole {
  readonly outDir: string;
  readonly script: string;
  readonly stylesheet: string;
  readonly bytes: number;
}

export async function buildConsole(options: BuildConsoleOptions = {}): Promise<BuiltConsole> {
  const outDir = resolve(options.outDir ?? DEFAULT_CONSOLE_DIR);
  mkdirSync(dirname(outDir), { recursive: true });
  const staging = `${outDir}.build-${process.pid}-${Date.now()}`;
  try {
    const result = await build({
      absWorkingDir: PACKAGE_ROOT,
      entryPoints: { app: 'console/src/main.tsx' },
      outdir: join(staging, 'assets'),
      entryNames: '[name]-[hash]',
      bundle: true,
      format: 'esm',
      platform: 'browser', // a node: import fails the build: the bundle must run in a browser
      target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
      jsx: 'automatic',
      jsxImportSource: 'preact',
      tsconfig: 'console/tsconfig.json',
      minify: options.minify ?? true,
      sourcemap: 'linked',
      legalComments: 'linked',
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'warning',
    });
    const outputs = Object.keys(result.metafile.outputs).map((path) => resolve(PACKAGE_ROOT, path));
    const script = outputs.find((path) => path.endsWith('.js'));
    const stylesheet = outputs.find((path) => path.endsWith('.css'));
    if (!script || !stylesheet) throw new Error('the console build produced no script or no stylesheet');
    writeFileSync(join(staging, 'index.html'), indexHtml(basename(script), basename(stylesheet)));
    const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    replaceDirectory(staging, outDir);
    return { outDir, script: `assets/${basename(script)}`, stylesheet: `assets/${basename(stylesheet)}`, bytes };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The one HTML page; every path under /console answers it and the script routes. */
function indexHtml(script: string, stylesheet: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<link rel="icon" href="data:,">
<title>Steward console</title>
<link rel="stylesheet" href="/console/assets/${stylesheet}">
<script type="module" src="/console/assets/${script}"></script>
</head>
<body>
<noscript>The Steward console needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;
}

function replaceDirectory(from: string, to: string): void {
  const old = `${to}.old-${process.pid}-${Date.now()}`;
  try {
    renameSync(to, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    renameSync(from, to);
  } catch (error) {
    // Another build put its (equally fresh) output there between the two renames.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildConsole({ outDir: process.argv[2] });
  console.log(`console built: ${relative(process.cwd(), built.outDir) || '.'} (${built.script}, ${built.stylesheet}; ${(built.bytes / 1024).toFixed(0)} KiB with source maps)`);
}
