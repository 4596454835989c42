import t from 'tap';
import { canonicalString, parseJson, ManifestError } from '../../manifests/index.js';

t.test('canonical form sorts keys, drops whitespace, escapes only quote and backslash', async (t) => {
  t.equal(canonicalString({ b: 1, a: [true, null, 'x"y\\z'], c: { z: 0, y: -5 } }), '{"a":[true,null,"x\\"y\\\\z"],"b":1,"c":{"y":-5,"z":0}}');
  t.equal(canonicalString({ 'é': 'ü\n' }), '{"é":"ü\n"}', 'non-ASCII and control characters are written raw');
});

t.test('canonical form refuses what TUF cannot sign', async (t) => {
  for (const value of [{ a: 1.5 }, { a: undefined }, { a: () => 1 }]) {
    t.throws(() => canonicalString(value), { code: 'STW_MANIFEST_INVALID' });
  }
});

t.test('when input is hostile, parseJson refuses it with an error, not a crash', async (t) => {
  const cases: { name: string; input: string; limits?: { maxBytes?: number; maxDepth?: number }; reason: string }[] = [
    { name: 'larger than the limit', input: `"${'a'.repeat(2000)}"`, limits: { maxBytes: 1000 }, reason: 'too-large' },
    { name: '100k nested arrays', input: '['.repeat(100_000) + ']'.repeat(100_000), reason: 'too-deep' },
    { name: '100k nested objects', input: '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), reason: 'too-deep' },
    { name: 'deeper than a custom limit', input: '[[[[1]]]]', limits: { maxDepth: 3 }, reason: 'too-deep' },
    { name: 'truncated', input: '{"signed": {', reason: 'syntax' },
    { name: 'not JSON', input: '\u0000\u0001garbage', reason: 'syntax' },
    { name: 'empty', input: '', reason: 'syntax' },
  ];
  for (const c of cases) {
    const error = (() => {
      try {
        parseJson(c.input, c.limits);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    t.type(error, ManifestError, c.name);
    t.equal((error as ManifestError).code, 'STW_MANIFEST_MALFORMED_JSON', c.name);
    t.equal((error as ManifestError).details?.['reason'], c.reason, c.name);
  }
});

t.test('brackets inside strings do not count towards depth', async (t) => {
  const value = parseJson(JSON.stringify({ note: '[[[[[[[[[[[[[[[[[[[[' }), { maxDepth: 1 });
  t.same(value, { note: '[[[[[[[[[[[[[[[[[[[[' });
});

t.test('a 10 MiB document within limits parses', async (t) => {
  const big = JSON.stringify({ blob: 'x'.repeat(10 * 1024 * 1024) });
  const value = parseJson(big) as { blob: string };
  t.equal(value.blob.length, 10 * 1024 * 1024);
});
