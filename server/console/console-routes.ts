/**
 * Serves the built web console (`npm run build` writes it to dist/console): the page at
 * `/console` and every path below it (the script routes on the client), and its files at
 * `/console/assets/<name>`. The routes are public: the files hold no data; every piece of
 * data comes from the /v1 API with the signed-in user's token, and the API decides.
 *
 * Asset names carry a content hash, so they are cached for a year (`immutable`); the page
 * itself is revalidated on every load. Every answer carries a strict Content-Security-Policy
 * (see security-headers.ts). Without a build, `/console` answers 503 STW_UNAVAILABLE.
 *
 * @example
 * await app.register(consoleRoutes, { consoleDir: resolveConsoleDir(config.consoleDir) });
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { stewardError } from '../errors.js';
import { CONSOLE_SECURITY_HEADERS } from './security-headers.js';

export interface ConsoleRoutesOptions {
  /** The directory holding index.html and assets/. */
  readonly consoleDir: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** One path segment of a built file: no separators, no dot-dot, nothing a shell or URL would escape. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
const hidden = { hide: true } as const; // not part of the API's OpenAPI document

export const consoleRoutes: FastifyPluginAsync<ConsoleRoutesOptions> = async (app, { consoleDir }) => {
  const page = async (_request: unknown, reply: FastifyReply) => {
    const html = await readIfPresent(join(consoleDir, 'index.html'));
    if (html === undefined) throw stewardError('STW_UNAVAILABLE', `the console is not built: run npm run build (looked in ${consoleDir})`, { reason: 'console-not-built' });
    return reply.headers(CONSOLE_SECURITY_HEADERS).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };
  for (const url of ['/console', '/console/', '/console/*']) app.get(url, { config: { access: 'public' }, schema: hidden }, page);

  app.get<{ Params: { name: string } }>('/console/assets/:name', { config: { access: 'public' }, schema: hidden }, async (request, reply) => {
    const { name } = request.params;
    const type = CONTENT_TYPES[extname(name)];
    const body = ASSET_NAME.test(name) && type !== undefined ? await readIfPresent(join(consoleDir, 'assets', name)) : undefined;
    if (body === undefined || type === undefined) throw stewardError('STW_NOT_FOUND', `no console file ${name}`);
    return reply.headers(CONSOLE_SECURITY_HEADERS).header('cache-control', 'public, max-age=31536000, immutable').type(type).send(body);
  });
};

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
