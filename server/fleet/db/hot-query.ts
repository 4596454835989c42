/**
 * A query built and compiled once by kysely, then run with fresh parameters: the check-in
 * path runs the same few statements thousands of times a second, and building and compiling
 * each one anew costs more than running it. The SQL is compiled on first use, in the dialect
 * of the database it runs on: keep one HotQuery per database (a field of a per-database
 * service), never a module-level constant. Parameters go in the order the compiled SQL
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
  #sql: string | undefined;

  /** `build` uses placeholder values where the parameters go; there must be `parameterCount` of them. */
  constructor(build: (db: Kysely<Database>) => Compilable<R>, parameterCount: number) {
    this.#build = build;
    this.#parameterCount = parameterCount;
  }

  async execute(db: Kysely<Database>, parameters: readonly unknown[]): Promise<R[]> {
    if (this.#sql === undefined) {
      const compiled = this.#build(db).compile();
      if (compiled.parameters.length !== this.#parameterCount) throw new Error(`hot query compiled with ${compiled.parameters.length} parameters, expected ${this.#parameterCount}`);
      this.#sql = compiled.sql;
    }
    if (parameters.length !== this.#parameterCount) throw new Error(`hot query given ${parameters.length} parameters, expected ${this.#parameterCount}`);
    const result = await db.executeQuery<R>(CompiledQuery.raw(this.#sql, [...parameters]) as CompiledQuery<R>);
    return result.rows;
  }
}
