/**
 * Delegation path matching (TUF 4.5 DELEGATIONS "paths"): shell-style patterns where `*`
 * and `?` never cross a `/`, so a pattern and a target path must have the same number of
 * segments. `path_hash_prefixes` match on the hex SHA-256 of the target path.
 *
 * @example
 * matchesPathPattern('acme/*', 'acme/t100-1.2.0.bin')   // true
 * matchesPathPattern('acme/*', 'acme/x/t100.bin')       // false
 */
import { createHash } from 'node:crypto';

const patternCache = new Map<string, RegExp>();

export function matchesPathPattern(pattern: string, targetPath: string): boolean {
  const patternSegments = pattern.split('/');
  const pathSegments = targetPath.split('/');
  if (patternSegments.length !== pathSegments.length) return false;
  return patternSegments.every((segment, index) => segmentRegExp(segment).test(pathSegments[index] ?? ''));
}

export function matchesHashPrefix(prefixes: readonly string[], targetPath: string): boolean {
  const digest = createHash('sha256').update(targetPath, 'utf8').digest('hex');
  return prefixes.some((prefix) => digest.startsWith(prefix.toLowerCase()));
}

function segmentRegExp(segment: string): RegExp {
  let regExp = patternCache.get(segment);
  if (!regExp) {
    regExp = new RegExp(`^${translate(segment)}$`, 's');
    if (patternCache.size > 4096) patternCache.clear();
    patternCache.set(segment, regExp);
  }
  return regExp;
}

/** fnmatch semantics for one segment: `*`, `?`, `[seq]`, `[!seq]`; everything else literal. */
function translate(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else out += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
