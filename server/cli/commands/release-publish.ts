/**
 * `steward release publish`: a vendor publishes one file. The file is hashed (streamed),
 * uploaded (streamed, with progress), then the vendor's delegated role gets the new target
 * with its release facts in `custom` and is signed here with the vendor's offline key(s)
 * before it is submitted. The server checks signatures, delegation, version and that the
 * uploaded bytes match, then publishes snapshot and timestamp.
 */
import { basename } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ManifestError, Metadata, ReleaseInfo, type KeyObjectSigner } from '../../../manifests/index.js';
import { addRelease } from '../../repository/ceremony.js';
import type { ApiClient } from '../api-client.js';
import { CliError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { hashFile } from '../hash-file.js';
import { readSigners } from '../key-files.js';
import { ProgressBar } from '../progress-bar.js';
import { fetchRole } from './remote-metadata.js';
import { apiClientFor, describePublication, expiresFrom, expiresOption, serverOptions } from './shared-options.js';

export const releasePublish: Command = {
  words: ['release', 'publish'],
  summary: "Upload a file and publish it in the vendor's signed role (vendor)",
  arguments: [{ name: 'FILE', description: 'the firmware or app file' }],
  options: {
    ...serverOptions,
    vendor: { kind: 'string', value: 'ID', description: 'vendor id', required: true },
    version: { kind: 'string', value: 'SEMVER', description: 'release version (semver 2.0.0)', required: true },
    hardware: { kind: 'strings', value: 'ID', description: 'hardware model it runs on', required: true },
    component: { kind: 'string', value: 'NAME', description: '`firmware` or an app id', required: true },
    'min-from': { kind: 'string', value: 'SEMVER', description: 'lowest installed version it may upgrade from' },
    notes: { kind: 'string', value: 'TEXT', description: 'release notes' },
    path: { kind: 'string', value: 'PATH', description: 'target path (default: <vendor>/<file name>)' },
    key: { kind: 'strings', value: 'VENDOR.pem', description: "vendor private key to sign the role with", required: true },
    ...expiresOption,
  },
  async run({ args, io }) {
    const file = args.argument(0, 'FILE');
    const vendorId = args.string('vendor');
    const path = args.optionalString('path') ?? `${vendorId}/${basename(file)}`;
    if (!path.startsWith(`${vendorId}/`) || path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
      throw usageError(`target path ${JSON.stringify(path)} must be inside ${vendorId}/ without empty, . or .. segments`);
    }
    const info = releaseInfo(args.string('version'), args.strings('hardware'), args.string('component'), args.optionalString('min-from'), args.optionalString('notes'), path);
    const signers = await readSigners(args.strings('key'));
    const expires = expiresFrom(args, io);
    const api = apiClientFor(args, io);

    // Before sending any bytes: the token may act for the vendor, and the keys are the delegated ones.
    await api.request('GET', `/v1/vendors/${encodeURIComponent(vendorId)}/releases`);
    await assertDelegatedKeys(api, vendorId, signers);
    const current = await fetchRole(api, `${vendorId}.json`, 'targets');
    const digest = await hashFile(file);
    const published = current?.signed.targets.get(path);
    if (published) {
      // A published target path is immutable: same bytes and release facts, or a new path.
      if (published.hashes['sha256'] !== digest.hashes.sha256 || published.length !== digest.length) {
        throw new CliError('STW_CLI_PATH_TAKEN', `${path} was published before with other content; publish the new file under a new name or --path`, { details: { path } });
      }
      if (!isDeepStrictEqual(published.custom, info.toCustom())) {
        throw new CliError('STW_CLI_PATH_TAKEN', `${path} was published before with other release facts (version, hardware, notes); publish under a new name or --path`, { details: { path } });
      }
      io.stdout.write(`${path} version ${info.version} is published already; nothing to do\n`);
      return;
    }

    const progress = new ProgressBar(io.stderr, { label: `uploading ${basename(file)}`, total: digest.length, now: io.now });
    try {
      await api.upload(`/v1/vendors/${encodeURIComponent(vendorId)}/artifacts?sha256=${digest.hashes.sha256}`, file, digest.length, (sent) => progress.update(sent));
      progress.finish();
    } finally {
      progress.abandon();
    }

    const next = await Metadata.create(addRelease(current?.signed, { path, length: digest.length, hashes: digest.hashes, info }, expires)).signAll(signers);
    const result = await api.request<{ version: number; snapshotVersion: number; timestampVersion: number }>('PUT', `/v1/vendors/${encodeURIComponent(vendorId)}/role`, { json: next.toJSON() });
    io.stdout.write(`published ${path} version ${info.version} (${vendorId} role v${result.version}; ${describePublication(result)})\n`);
  },
};

function releaseInfo(version: string, hardwareIds: string[], component: string, minFromVersion: string | undefined, notes: string | undefined, path: string): ReleaseInfo {
  const info = new ReleaseInfo({ version, hardwareIds, component, minFromVersion, notes: notes ?? '' });
  try {
    return ReleaseInfo.fromCustom(info.toCustom(), path); // the same checks the server and terminals apply
  } catch (error) {
    if (error instanceof ManifestError) throw usageError(`release facts: ${error.message}`);
    throw error;
  }
}

/** The given keys must meet the vendor delegation's threshold in the current top-level targets. */
async function assertDelegatedKeys(api: ApiClient, vendorId: string, signers: readonly KeyObjectSigner[]): Promise<void> {
  const topLevel = await fetchRole(api, 'targets.json', 'targets');
  const authority = topLevel?.signed.delegations?.authority(vendorId);
  if (!authority) throw new CliError('STW_REPO_VENDOR_UNKNOWN', `top-level targets delegates nothing to ${vendorId} yet: the operator runs 'steward vendor add' first`);
  const delegated = new Set(signers.map((signer) => signer.publicKey.keyId()).filter((keyId) => authority.keys.has(keyId)));
  if (delegated.size < authority.threshold) {
    throw new CliError('STW_CLI_KEY_NOT_AUTHORISED', `${delegated.size} of the given keys are ${vendorId}'s delegated keys; ${authority.threshold} required`, {
      details: { given: signers.map((signer) => signer.publicKey.keyId()), delegated: [...authority.keys.keys()] },
    });
  }
}
