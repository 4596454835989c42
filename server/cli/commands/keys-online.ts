/** `steward keys online`: the server's online public keys, as the root ceremony takes them. */
import type { Command } from '../command.js';
import { prettyJson } from '../files.js';
import { localConfig } from '../local-config.js';
import { onlineKeysDocument, readOnlineKeys } from '../online-keys.js';
import { dataDirOption } from './shared-options.js';

export const keysOnline: Command = {
  words: ['keys', 'online'],
  summary: "Print the server's online public keys (JSON with key ids)",
  options: {
    ...dataDirOption,
    'keys-dir': { kind: 'string', value: 'DIR', description: 'directory of the online keys (default: the configured keysDir)' },
  },
  details: 'Save the output as a file and pass it as --snapshot-key FILE and --timestamp-key FILE to `steward repo root create`.',
  async run({ args, io }) {
    const keysDir = args.optionalString('keys-dir') ?? localConfig(io.env, args.optionalString('data-dir')).keysDir;
    io.stdout.write(prettyJson(onlineKeysDocument(await readOnlineKeys(keysDir))));
  },
};
