declare module '@tufjs/canonical-json' {
  export function canonicalize(value: unknown): string;
}
