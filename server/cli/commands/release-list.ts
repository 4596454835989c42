/** `steward release list`: the vendor's published releases, newest first. */
import type { Command } from '../command.js';
import { prettyJson } from '../files.js';
import { formatBytes } from '../progress-bar.js';
import { formatTable } from '../table.js';
import { apiClientFor, serverOptions } from './shared-options.js';

interface ReleaseRow {
  readonly targetPath: string;
  readonly component: string;
  readonly version: string;
  readonly hardwareIds: string[];
  readonly minFromVersion: string | null;
  readonly length: number;
  readonly createdAt: string;
}

export const releaseList: Command = {
  words: ['release', 'list'],
  summary: "List a vendor's published releases (vendor or operator)",
  options: {
    ...serverOptions,
    vendor: { kind: 'string', value: 'ID', description: 'vendor id', required: true },
    json: { kind: 'boolean', description: 'print the JSON the server returned' },
  },
  async run({ args, io }) {
    const vendorId = args.string('vendor');
    const answer = await apiClientFor(args, io).request<{ releases: ReleaseRow[] }>('GET', `/v1/vendors/${encodeURIComponent(vendorId)}/releases`);
    if (args.flag('json')) {
      io.stdout.write(prettyJson(answer));
      return;
    }
    if (answer.releases.length === 0) {
      io.stdout.write(`no releases published for ${vendorId}\n`);
      return;
    }
    const rows = answer.releases.map((release) => [
      release.targetPath,
      release.version,
      release.component,
      release.hardwareIds.join(','),
      release.minFromVersion ?? '-',
      formatBytes(release.length),
      release.createdAt,
    ]);
    io.stdout.write(formatTable(['TARGET', 'VERSION', 'COMPONENT', 'HARDWARE', 'MIN FROM', 'SIZE', 'PUBLISHED'], rows));
  },
};
