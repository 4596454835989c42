/**
 * Reads the fields of one JSON object while validating them, and remembers which it has
 * read so that everything else can be kept as unrecognised fields (TUF 4.2: implementations
 * must keep fields they do not know so that signatures over them still verify).
 *
 * @example
 * const reader = ObjectReader.of(input, 'root.signed');
 * const version = reader.integer('version', { min: 1 });
 * const rest = reader.unrecognised();
 */
import { ManifestError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json-value.js';

export class ObjectReader {
  readonly #object: JsonObject;
  readonly #path: string;
  readonly #read = new Set<string>();

  private constructor(object: JsonObject, path: string) {
    this.#object = object;
    this.#path = path;
  }

  static of(value: unknown, path: string): ObjectReader {
    if (!isJsonObject(value)) throw invalid(path, 'must be an object');
    return new ObjectReader(value, path);
  }

  get path(): string {
    return this.#path;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#object, key);
  }

  /** The raw value of a field (marks it read); `undefined` when absent. */
  raw(key: string): JsonValue | undefined {
    this.#read.add(key);
    return Object.hasOwn(this.#object, key) ? this.#object[key] : undefined;
  }

  required(key: string): JsonValue {
    const value = this.raw(key);
    if (value === undefined) throw invalid(this.field(key), 'is required');
    return value;
  }

  string(key: string, options: { pattern?: RegExp; nonEmpty?: boolean } = {}): string {
    return checkString(this.required(key), this.field(key), options);
  }

  optionalString(key: string, options: { pattern?: RegExp; nonEmpty?: boolean } = {}): string | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : checkString(value, this.field(key), options);
  }

  integer(key: string, options: { min?: number; max?: number } = {}): number {
    return checkInteger(this.required(key), this.field(key), options);
  }

  optionalInteger(key: string, options: { min?: number; max?: number } = {}): number | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : checkInteger(value, this.field(key), options);
  }

  boolean(key: string): boolean {
    const value = this.required(key);
    if (typeof value !== 'boolean') throw invalid(this.field(key), 'must be a boolean');
    return value;
  }

  optionalBoolean(key: string): boolean | undefined {
    return this.has(key) ? this.boolean(key) : (this.raw(key), undefined);
  }

  object(key: string): ObjectReader {
    return ObjectReader.of(this.required(key), this.field(key));
  }

  optionalObject(key: string): ObjectReader | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : ObjectReader.of(value, this.field(key));
  }

  array(key: string): JsonValue[] {
    const value = this.required(key);
    if (!Array.isArray(value)) throw invalid(this.field(key), 'must be an array');
    return value;
  }

  stringArray(key: string, options: { unique?: boolean; nonEmpty?: boolean } = {}): string[] {
    const values = this.array(key).map((item, index) => checkString(item, `${this.field(key)}[${index}]`, {}));
    if (options.nonEmpty && values.length === 0) throw invalid(this.field(key), 'must not be empty');
    if (options.unique && new Set(values).size !== values.length) throw invalid(this.field(key), 'must not repeat a value');
    return values;
  }

  /** Each own field of a nested object, as [name, value] pairs. */
  entries(): [string, JsonValue][] {
    return Object.entries(this.#object);
  }

  /** The fields never read, to keep and write back unchanged. */
  unrecognised(): JsonObject {
    const rest: JsonObject = {};
    for (const [key, value] of Object.entries(this.#object)) {
      if (!this.#read.has(key)) rest[key] = value;
    }
    return rest;
  }

  field(key: string): string {
    return `${this.#path}.${key}`;
  }
}

export function invalid(path: string, problem: string): ManifestError {
  return new ManifestError('STW_MANIFEST_INVALID', `${path} ${problem}`, { details: { field: path } });
}

function checkString(value: JsonValue, path: string, options: { pattern?: RegExp; nonEmpty?: boolean }): string {
  if (typeof value !== 'string') throw invalid(path, 'must be a string');
  if (options.nonEmpty && value.length === 0) throw invalid(path, 'must not be empty');
  if (options.pattern && !options.pattern.test(value)) throw invalid(path, `does not match ${options.pattern}`);
  return value;
}

function checkInteger(value: JsonValue, path: string, options: { min?: number; max?: number }): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(path, 'must be an integer');
  if (options.min !== undefined && value < options.min) throw invalid(path, `must be at least ${options.min}`);
  if (options.max !== undefined && value > options.max) throw invalid(path, `must be at most ${options.max}`);
  return value;
}
