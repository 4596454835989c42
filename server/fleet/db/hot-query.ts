/**
 * A query built and compiled once by kysely, then run with fresh parameters: the check-in
 * path runs the same few statements thousands of times a second, and building and compiling
 * each one anew costs more than running it. The SQL is compiled on first use in each dialect
 * it runs on (kept per dialect adapter, which a database and its transactions share), so a
 * HotQuery may be a module-level constant. Parameters go in the order the compiled SQL
 * expects them, which the builder's placeholder values fix.
 *
 * @example
 * const byId = new HotQuery((db) => db.selectFrom('devices').select(['id', 'status']).where('id', '=', ''), 1);
 * const [row] = await byId.execute(db, ['dev_1']);
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export class HotQuery<R> {
  readonly #build: (db: Kysely<Database>) => Compilable<R>;
  readonly #parameterCount: number;
  readonly #sqlByAdapter = new WeakMap<object, string>();

  /** `build` uses placeholder values where the parameters go; there must be `parameterCount` of them. */
  constructor(build: (db: Kysely<Database>) => Compilable<R>, parameterCount: number) {
    this.#build = build;
    this.#parameterCount = parameterCount;
  }

  async execute(db: Kysely<Database>, parameters: readonly unknown[]): Promise<R[]> {
    const adapter = db.getExecutor().adapter;
    let text = this.#sqlByAdapter.get(adapter);
    if (text === undefined) {
      const compiled = this.#build(db).compile();
      if (compiled.parameters.length !== this.#parameterCount) throw new Error(`hot query compiled with ${compiled.parameters.length} parameters, expected ${this.#parameterCount}`);
      text = compiled.sql;
      this.#sqlByAdapter.set(adapter, text);
    }
    if (parameters.length !== this.#parameterCount) throw new Error(`hot query given ${parameters.length} parameters, expected ${this.#parameterCount}`);
    const result = await db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]) as CompiledQuery<R>);
    return result.rows;
  }
}
