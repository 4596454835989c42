/**
 * `steward vendor add`: registers a vendor and delegates `<vendor>/*` to its keys in the
 * top-level targets (TUF 4.5 delegations), signed here with the offline targets key(s).
 * The vendor's own keys stay with the vendor: only their public halves are given.
 */
import { Metadata } from '../../../manifests/index.js';
import { isVendorId } from '../../auth/scope.js';
import { delegateToVendor } from '../../repository/ceremony.js';
import { CliError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { readPublicKeys, readSigners } from '../key-files.js';
import { fetchRoot, fetchTopLevelTargets } from './remote-metadata.js';
import { apiClientFor, describePublication, expiresFrom, expiresOption, serverOptions } from './shared-options.js';

/** Role names of the repository itself; a vendor role by one of these names would shadow it. */
const RESERVED_IDS = new Set(['root', 'targets', 'snapshot', 'timestamp']);

export const vendorAdd: Command = {
  words: ['vendor', 'add'],
  summary: 'Register a vendor and delegate <ID>/* to its keys in top-level targets (operator)',
  arguments: [{ name: 'ID', description: 'vendor id: lowercase letters, digits and dashes' }],
  options: {
    ...serverOptions,
    name: { kind: 'string', value: 'NAME', description: 'display name', required: true },
    'vendor-key': { kind: 'strings', value: 'PUB.json', description: "a public key of the vendor's", required: true },
    threshold: { kind: 'string', value: 'N', description: 'vendor signatures required on its releases (default 1)' },
    'targets-key': { kind: 'strings', value: 'PRIVATE.pem', description: 'offline top-level targets key to sign with', required: true },
    ...expiresOption,
    'issue-token': { kind: 'boolean', description: 'also issue and print an API token for the vendor' },
  },
  details: 'Run again with other --vendor-key values to re-key a vendor (add the new key first, drop the old one after the vendor re-signed).',
  async run({ args, io }) {
    const vendorId = args.argument(0, 'ID');
    if (!isVendorId(vendorId) || RESERVED_IDS.has(vendorId)) throw usageError(`vendor id ${JSON.stringify(vendorId)} must be lowercase letters, digits and dashes, and not a top-level role name`);
    const keys = await readPublicKeys(args.strings('vendor-key'));
    if (new Set(keys.map((key) => key.keyId())).size !== keys.length) throw usageError('--vendor-key lists one key twice');
    const threshold = args.integer('threshold', { min: 1, fallback: 1 });
    if (threshold > keys.length) throw usageError(`--threshold ${threshold} is more than the ${keys.length} vendor key(s)`);
    const signers = await readSigners(args.strings('targets-key'));
    const expires = expiresFrom(args, io);
    const api = apiClientFor(args, io);

    // Before changing anything on the server: the targets keys given must satisfy root.
    const root = await fetchRoot(api);
    const authority = root.signed.authority('targets');
    const authorised = new Set(signers.map((signer) => signer.publicKey.keyId()).filter((keyId) => authority.keys.has(keyId)));
    if (authorised.size < authority.threshold) {
      throw new CliError('STW_CLI_KEY_NOT_AUTHORISED', `${authorised.size} of the --targets-key keys are root's targets keys; ${authority.threshold} required`);
    }

    try {
      await api.request('POST', '/v1/operator/vendors', { json: { id: vendorId, name: args.string('name') } });
      io.stdout.write(`registered vendor ${vendorId}\n`);
    } catch (error) {
      if (!(error instanceof CliError && error.code === 'STW_REPO_VENDOR_EXISTS')) throw error;
      io.stdout.write(`vendor ${vendorId} is registered already\n`);
    }

    const current = await fetchTopLevelTargets(api, root);
    const next = await Metadata.create(delegateToVendor(current?.signed, { vendorId, keys, threshold }, expires)).signAll(signers);
    io.stdout.write(`top-level targets version ${next.signed.version}, delegations:\n`);
    for (const role of next.signed.delegations?.roles ?? []) {
      io.stdout.write(`  ${role.name}  paths ${(role.paths ?? []).join(' ')}  threshold ${role.threshold} of ${role.keyIds.length}\n`);
    }
    const result = await api.request<{ snapshotVersion: number; timestampVersion: number }>('PUT', '/v1/repository/targets', { json: next.toJSON() });
    io.stdout.write(`top-level targets version ${next.signed.version} published; ${describePublication(result)}\n`);

    if (args.flag('issue-token')) {
      const { token, tokenId } = await api.request<{ token: string; tokenId: string }>('POST', '/v1/operator/tokens', { json: { scope: `vendor:${vendorId}`, label: `vendor ${vendorId}` } });
      io.stdout.write(`vendor token (id ${tokenId}) for ${vendorId}, shown this once:\n  ${token}\n`);
    }
  },
};
