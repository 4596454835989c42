/**
 * Everything a command touches outside its arguments: output streams, environment, clock,
 * and the working directory. Injected so commands run the same in tests and in a terminal.
 */
export interface OutputStream {
  write(text: string): unknown;
  /** True when the stream is a terminal (progress bars are drawn only then). */
  readonly isTTY?: boolean | undefined;
  /** Terminal width in columns, when known. */
  readonly columns?: number | undefined;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Standard input, for commands that read a secret from it (`--password-stdin`). */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, now: () => Date.now(), stdin: process.stdin };
}
