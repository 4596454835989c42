/**
 * A command's parsed arguments with typed, checked access. Every accessor throws a usage
 * error (exit 2) for a missing or malformed value, naming the option.
 *
 * @example
 * const threshold = args.integer('threshold', { min: 1, fallback: 1 });
 * const keys = args.strings('key');
 */
import { usageError } from './cli-error.js';

export type OptionValues = Readonly<Record<string, readonly string[] | boolean | undefined>>;

const INTEGER = /^\d{1,9}$/;

export class CommandArgs {
  readonly #values: OptionValues;
  readonly #positionals: readonly string[];

  constructor(values: OptionValues, positionals: readonly string[]) {
    this.#values = values;
    this.#positionals = positionals;
  }

  has(name: string): boolean {
    const value = this.#values[name];
    return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw usageError(`--${name} is required`);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.#values[name];
    if (value === undefined || typeof value === 'boolean') return undefined;
    if (value.length > 1) throw usageError(`--${name} may be given only once`);
    return value[0];
  }

  strings(name: string): string[] {
    const value = this.#values[name];
    return Array.isArray(value) ? [...value] : [];
  }

  flag(name: string): boolean {
    return this.#values[name] === true;
  }

  /** A non-negative decimal integer option, or `fallback` when absent. */
  integer(name: string, options: { min?: number; max?: number; fallback?: number } = {}): number {
    const text = this.optionalString(name);
    if (text === undefined) {
      if (options.fallback === undefined) throw usageError(`--${name} is required`);
      return options.fallback;
    }
    if (!INTEGER.test(text)) throw usageError(`--${name} must be a whole number, not ${JSON.stringify(text)}`);
    const value = Number(text);
    if (options.min !== undefined && value < options.min) throw usageError(`--${name} must be at least ${options.min}`);
    if (options.max !== undefined && value > options.max) throw usageError(`--${name} must be at most ${options.max}`);
    return value;
  }

  optionalInteger(name: string, options: { min?: number; max?: number } = {}): number | undefined {
    return this.has(name) ? this.integer(name, options) : undefined;
  }

  argument(index: number, name: string): string {
    const value = this.#positionals[index];
    if (value === undefined) throw usageError(`${name} is required`);
    return value;
  }

  get positionals(): readonly string[] {
    return this.#positionals;
  }
}
