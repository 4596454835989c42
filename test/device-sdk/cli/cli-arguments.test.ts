import t from 'tap';
import { readCliArguments } from '../../../device-sdk/cli/cli-arguments.js';
import { DeviceError } from '../../../device-sdk/errors.js';

function codeOf(argv: string[]): string | undefined {
  try {
    readCliArguments(argv);
  } catch (error) {
    return error instanceof DeviceError ? error.code : 'not a DeviceError';
  }
  return undefined;
}

t.test('each documented command line is read into its command', async (t) => {
  t.same(readCliArguments(['--metadata-dir', 'm', 'init', 'root.json']), { kind: 'init', metadataDir: 'm', trustedRootFile: 'root.json' });
  t.same(readCliArguments(['--metadata-dir', 'm', '--metadata-url', 'http://a', 'refresh']), { kind: 'refresh', metadataDir: 'm', metadataUrls: ['http://a'] });
  t.same(
    readCliArguments(['--metadata-dir', 'm', '--metadata-url', 'http://a', '--target-name', 'x', '--target-name', 'y/z', '--target-base-url', 'http://t', '--target-dir', 'd', 'download']),
    { kind: 'download', metadataDir: 'm', metadataUrls: ['http://a'], targetNames: ['x', 'y/z'], targetBaseUrl: 'http://t', targetDir: 'd' },
  );
});

t.test('a repeated metadata URL lists mirrors in order', async (t) => {
  t.match(readCliArguments(['--metadata-dir', 'm', '--metadata-url', 'http://a', '--metadata-url', 'http://b', 'refresh']), { metadataUrls: ['http://a', 'http://b'] });
});

t.test('help needs nothing else', async (t) => {
  t.same(readCliArguments(['--help']), { kind: 'help' });
});

t.test('missing or extra pieces are usage errors', async (t) => {
  t.equal(codeOf(['init', 'root.json']), 'STW_DEVICE_USAGE', 'no metadata dir');
  t.equal(codeOf(['--metadata-dir', 'm', 'init']), 'STW_DEVICE_USAGE', 'no root file');
  t.equal(codeOf(['--metadata-dir', 'm', 'refresh']), 'STW_DEVICE_USAGE', 'no metadata url');
  t.equal(codeOf(['--metadata-dir', 'm', '--metadata-url', 'u', 'refresh', 'extra']), 'STW_DEVICE_USAGE', 'extra argument');
  t.equal(codeOf(['--metadata-dir', 'm', '--metadata-url', 'u', '--target-base-url', 'b', '--target-dir', 'd', 'download']), 'STW_DEVICE_USAGE', 'no target name');
  t.equal(codeOf(['--metadata-dir', 'm', '--metadata-url', 'u', '--target-name', 'x', '--target-dir', 'd', 'download']), 'STW_DEVICE_USAGE', 'no target base url');
  t.equal(codeOf(['--metadata-dir', 'm']), 'STW_DEVICE_USAGE', 'no command');
  t.equal(codeOf(['--metadata-dir', 'm', 'upgrade']), 'STW_DEVICE_USAGE', 'unknown command');
  t.equal(codeOf(['--metadata-dir', 'm', '--bogus', 'refresh']), 'STW_DEVICE_USAGE', 'unknown option');
});
