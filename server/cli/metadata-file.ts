/**
 * Signed metadata documents as files (TUF 4.2 envelope). The role is read from
 * `signed._type`; the file is written pretty-printed, which is safe because signatures cover
 * the canonical JSON of `signed`, not the file's bytes.
 *
 * @example
 * const metadata = await readMetadataFile('root.json'); // Metadata<Root>
 * await replaceFile('root.json', metadataText(await metadata.sign(signer)));
 */
import { Metadata, ManifestError, isJsonObject, type RoleType, type SignedByType } from '../../manifests/index.js';
import { CliError } from './cli-error.js';
import { prettyJson, readJsonFile } from './files.js';

const ROLE_TYPES: readonly RoleType[] = ['root', 'targets', 'snapshot', 'timestamp'];

export async function readMetadataFile(path: string): Promise<Metadata> {
  const document = await readJsonFile(path);
  const signed = isJsonObject(document) ? document['signed'] : undefined;
  const type = isJsonObject(signed) ? signed['_type'] : undefined;
  if (!ROLE_TYPES.includes(type as RoleType)) {
    throw new CliError('STW_CLI_FILE_UNREADABLE', `${path} is not TUF metadata: signed._type must be one of ${ROLE_TYPES.join(', ')}`, { details: { path } });
  }
  return parseMetadata(type as RoleType, document, path);
}

export function parseMetadata<K extends RoleType>(type: K, document: unknown, source: string): Metadata<SignedByType[K]> {
  try {
    return Metadata.fromJSON(type, document);
  } catch (error) {
    if (error instanceof ManifestError) throw new CliError('STW_CLI_FILE_UNREADABLE', `${source} is not valid ${type} metadata: ${error.message}`, { cause: error, details: { source } });
    throw error;
  }
}

export function metadataText(metadata: Metadata): string {
  return prettyJson(metadata.toJSON());
}
