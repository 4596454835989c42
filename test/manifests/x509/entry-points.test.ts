import t from 'tap';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The device SDK must never load node-forge: it reaches the challenge signer on its own
// and the rest of manifests/ through manifests/index.ts. Follow the static imports.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'/g;

function packagesReachedFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [resolve(root, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (specifier!.startsWith('.')) pending.push(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      else packages.add(specifier!);
    }
  }
  return packages;
}

t.test('the challenge signer a terminal imports loads node:crypto only, not node-forge', async (t) => {
  const packages = packagesReachedFrom('manifests/x509/challenge-signature.ts');
  t.ok(packages.has('node:crypto'), 'the walk sees the imports');
  t.notOk(packages.has('node-forge'));
});

t.test('the x509 entry point does load node-forge, so the check above can fail', async (t) => {
  t.ok(packagesReachedFrom('manifests/x509/index.ts').has('node-forge'));
});

t.test('manifests/index.ts does not reach node-forge', async (t) => {
  t.notOk(packagesReachedFrom('manifests/index.ts').has('node-forge'));
});
