/**
 * `steward-device`: the TUF client from the command line. Exit code 0 on success, 1 on any
 * failure, with the failure printed as `error CODE: message` on stderr. Uses the system
 * clock; requests are made one at a time, in workflow order.
 *
 * @example
 * const exitCode = await runCli(['--metadata-dir', dir, 'init', 'root.json'], { stdout, stderr });
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError } from '../../manifests/index.js';
import { DeviceError } from '../errors.js';
import { FsMetadataStore } from '../store/fs-metadata-store.js';
import { initialiseTrustedRoot } from '../tuf/initialise.js';
import { encodeRoleName } from '../tuf/role-name.js';
import { Updater } from '../tuf/updater.js';
import { readCliArguments, USAGE, type CliCommand } from './cli-arguments.js';

export interface CliOutput {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await execute(readCliArguments(argv), io);
    return 0;
  } catch (error) {
    io.stderr.write(`${describe(error)}\n`);
    if (error instanceof DeviceError && error.code === 'STW_DEVICE_USAGE') io.stderr.write(USAGE);
    return 1;
  }
}

async function execute(command: CliCommand, io: CliIo): Promise<void> {
  switch (command.kind) {
    case 'help':
      io.stdout.write(USAGE);
      return;
    case 'init': {
      const bytes = await readFile(command.trustedRootFile).catch((error: unknown) => {
        throw new DeviceError('STW_DEVICE_USAGE', `cannot read ${command.trustedRootFile}`, { cause: error });
      });
      const version = await initialiseTrustedRoot(new FsMetadataStore(command.metadataDir), bytes);
      io.stdout.write(`trusted root version ${version} stored in ${command.metadataDir}\n`);
      return;
    }
    case 'refresh': {
      const updater = new Updater({ metadataUrl: command.metadataUrls, store: new FsMetadataStore(command.metadataDir) });
      const result = await updater.refresh();
      io.stdout.write(`root ${result.root}, timestamp ${result.timestamp}, snapshot ${result.snapshot}, targets ${result.targets}\n`);
      return;
    }
    case 'download': {
      const updater = new Updater({ metadataUrl: command.metadataUrls, targetUrl: command.targetBaseUrl, store: new FsMetadataStore(command.metadataDir) });
      await updater.refresh();
      for (const name of command.targetNames) {
        const target = await updater.getTargetInfo(name);
        if (target === undefined) throw new DeviceError('STW_DEVICE_TARGET_NOT_FOUND', `no trusted target ${name}`, { details: { target: name } });
        const result = await updater.downloadTarget(target, join(command.targetDir, encodeRoleName(name)));
        io.stdout.write(`${result.outcome} ${name} -> ${result.path}\n`);
      }
      return;
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof DeviceError || error instanceof ManifestError) return `error ${error.code}: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}
