// Ed25519 verification through manifests/ against raw node:crypto, and node-forge for contrast.
//   npx tsx bench/manifests.ts
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import forge from 'node-forge';
import { Metadata, MetaFile, SPEC_VERSION, Timestamp, KeyObjectSigner, countSignatures } from '../manifests/index.js';
import { atLeast, benchRow, printTable, ratePerSecond, type BenchRow, type Goal } from './bench-row.js';

const ROUND_MS = 400;
const ROUNDS = 5;

export async function run(): Promise<BenchRow[]> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = new KeyObjectSigner(privateKey);
  const timestamp = new Timestamp({ specVersion: SPEC_VERSION, version: 1, expires: '2099-01-01T00:00:00Z', snapshotMeta: new MetaFile({ version: 1 }) });
  const metadata = await Metadata.create(timestamp).sign(signer);
  const data = metadata.signedBytes();
  const signatureHex = metadata.signatures[0]?.sig ?? '';
  const signature = Buffer.from(signatureHex, 'hex');
  const key = signer.publicKey;
  const authority = { keys: new Map([[key.keyId(), key]]), threshold: 1 };

  // forge wants raw keys: the last 32 bytes of the SPKI DER
  const rawPublic = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const forgeVerify = () =>
    forge.pki.ed25519.verify({ message: data.toString('binary'), encoding: 'binary', signature: signature.toString('binary'), publicKey: rawPublic.toString('binary') } as never);
  if (!verify(null, data, publicKey, signature) || !key.verify(data, signatureHex) || !countSignatures(metadata, authority).met) throw new Error('setup: signature does not verify');

  // Alternate the contenders round by round and keep each one's best round, so drift hits all alike.
  const best = { raw: 0, key: 0, threshold: 0, forge: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    best.raw = Math.max(best.raw, ratePerSecond(() => verify(null, data, publicKey, signature), ROUND_MS));
    best.key = Math.max(best.key, ratePerSecond(() => key.verify(data, signatureHex), ROUND_MS));
    best.threshold = Math.max(best.threshold, ratePerSecond(() => countSignatures(metadata, authority), ROUND_MS));
    if (round < 2) best.forge = Math.max(best.forge, ratePerSecond(forgeVerify, ROUND_MS));
  }

  const bulk = Buffer.alloc(64 * 1024 * 1024, 7);
  const nodeSha = throughput(() => createHash('sha256').update(bulk).digest(), bulk.length);
  const forgeChunk = bulk.subarray(0, 8 * 1024 * 1024).toString('binary');
  const forgeSha = throughput(() => forge.md.sha256.create().update(forgeChunk).digest(), forgeChunk.length);

  return [
    row('Ed25519 verify, PublicKey.verify', best.key, best.raw, 'verify/s', atLeast(0.9)),
    row('Ed25519 verify, threshold check of a signed timestamp', best.threshold, best.raw, 'verify/s', atLeast(0.9)),
    row('Ed25519 verify, node-forge (why it is not on the hot path)', best.forge, best.raw, 'verify/s'),
    row('SHA-256, node-forge (why it is not on the hot path)', forgeSha, nodeSha, 'MB/s'),
  ];
}

function row(figure: string, value: number, baseline: number, unit: string, goal?: Goal): BenchRow {
  return benchRow({ bench: 'manifests', figure, value, baseline, baselineName: 'node:crypto', unit, ...(goal ? { goal } : {}) });
}

function throughput(body: () => void, bytes: number): number {
  const start = performance.now();
  body();
  return bytes / 1e6 / ((performance.now() - start) / 1000);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTable(await run());
}
