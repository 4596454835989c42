/** `steward token create`: issues an API token (operator). The token is printed once, on stdout. */
import type { Command } from '../command.js';
import { apiClientFor, serverOptions } from './shared-options.js';

export const tokenCreate: Command = {
  words: ['token', 'create'],
  summary: 'Issue an API token for the operator or a vendor (operator)',
  options: {
    ...serverOptions,
    scope: { kind: 'string', value: 'SCOPE', description: '`operator` or `vendor:<id>`', required: true },
    label: { kind: 'string', value: 'LABEL', description: 'what the token is for (shown in audits)', required: true },
  },
  details: 'Only the token is written to stdout: TOKEN=$(steward token create --scope vendor:acme --label ci)',
  async run({ args, io }) {
    const scope = args.string('scope');
    const { token, tokenId } = await apiClientFor(args, io).request<{ token: string; tokenId: string }>('POST', '/v1/operator/tokens', {
      json: { scope, label: args.string('label') },
    });
    io.stdout.write(`${token}\n`);
    io.stderr.write(`token ${tokenId} for ${scope}: shown this once, keep it secret\n`);
  },
};
