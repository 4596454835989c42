/** One subtest per database kind, each named after the situation and the dialect. */
import type { Test } from 'tap';
import { DATABASE_KINDS, type DatabaseKind } from './databases.js';

export function forEachKind(t: Test, name: string, body: (t: Test, kind: DatabaseKind) => Promise<void>): void {
  for (const kind of DATABASE_KINDS) void t.test(`${name} (${kind})`, (t) => body(t, kind));
}
