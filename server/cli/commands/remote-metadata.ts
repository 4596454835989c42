/**
 * Reading the repository's current metadata from the server before building the next
 * version of a role on it. The server is not trusted for this: what it serves is checked
 * against the root it serves (TUF 5.3-5.6 order), and the key holder sees a summary of what
 * they are about to sign.
 */
import { ManifestError, Metadata, countSignatures, type RoleType, type Root, type SignedByType, type Targets } from '../../../manifests/index.js';
import type { ApiClient } from '../api-client.js';
import { CliError } from '../cli-error.js';

export async function fetchRole<K extends RoleType>(api: ApiClient, file: string, type: K): Promise<Metadata<SignedByType[K]> | undefined> {
  const document = await api.metadata(file);
  if (document === undefined) return undefined;
  try {
    return Metadata.fromJSON(type, document);
  } catch (error) {
    if (error instanceof ManifestError) throw new CliError('STW_CLI_REMOTE_METADATA_INVALID', `${file} from the server is not valid ${type} metadata: ${error.message}`, { cause: error });
    throw error;
  }
}

export async function fetchRoot(api: ApiClient): Promise<Metadata<Root>> {
  const root = await fetchRole(api, 'root.json', 'root');
  if (!root) throw new CliError('STW_REPO_NOT_INITIALISED', 'the server has no root yet: run the root ceremony and `steward repo upload-root` first');
  return root;
}

/** The current top-level targets, checked against the root's targets keys; undefined before the first. */
export async function fetchTopLevelTargets(api: ApiClient, root: Metadata<Root>): Promise<Metadata<Targets> | undefined> {
  const targets = await fetchRole(api, 'targets.json', 'targets');
  if (targets && !countSignatures(targets, root.signed.authority('targets')).met) {
    throw new CliError('STW_CLI_REMOTE_METADATA_INVALID', "targets.json from the server is not signed by the root's targets keys; refusing to build on it");
  }
  return targets;
}
