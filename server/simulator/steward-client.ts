/**
 * The simulator's and the demo's view of the operator and vendor API: sign-in with a
 * development user, enrolment and vendor tokens, releases published with the CLI's own
 * `release publish`, rollouts. Requests that meet a server being restarted (connection
 * refused, 502, 503) are tried again for a while, as an operator's console would.
 *
 * @example
 * const operator = await StewardClient.signIn(url, 'admin', password);
 * const token = await operator.enrolmentToken({ uses: 50, hardwareModel: 't100' });
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiClient } from '../cli/api-client.js';
import { CliError } from '../cli/cli-error.js';
import { runStewardCommand } from '../cli/commands/dev-run-command.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const RETRY_FOR_MS = 120_000;

export interface RolloutView {
  readonly id: string;
  readonly status: string;
  readonly currentPhase: number;
  readonly phases: readonly { readonly index: number; readonly admitted: number; readonly attempted: number; readonly succeeded: number; readonly failed: number }[];
  readonly totals: { readonly admitted: number; readonly attempted: number; readonly succeeded: number; readonly failed: number; readonly failureRatio: number | null };
}

export class StewardClient {
  readonly baseUrl: string;
  readonly token: string;
  readonly #api: ApiClient;

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = token;
    this.#api = new ApiClient({ baseUrl: this.baseUrl, token });
  }

  /** A session of a user (`POST /v1/sessions`). */
  static async signIn(baseUrl: string, username: string, password: string): Promise<StewardClient & { userId: string }> {
    const anonymous = new ApiClient({ baseUrl });
    const session = await retrying(() => anonymous.request<{ token: string; user: { id: string } }>('POST', '/v1/sessions', { json: { username, password }, auth: false }));
    return Object.assign(new StewardClient(baseUrl, session.token), { userId: session.user.id });
  }

  request<T>(method: Method, path: string, json?: unknown): Promise<T> {
    return retrying(() => this.#api.request<T>(method, path, json === undefined ? {} : { json }));
  }

  /** An enrolment token for `uses` terminals (operator). */
  async enrolmentToken(options: { uses: number; hardwareModel?: string; merchantId?: string; label?: string }): Promise<string> {
    const { label, ...rest } = options;
    const answer = await this.request<{ token: string }>('POST', '/v1/operator/enrolment-tokens', { label: label ?? 'simulated terminals', ...rest });
    return answer.token;
  }

  /** A token acting for a vendor (operator). */
  async vendorToken(vendorId: string): Promise<StewardClient> {
    const answer = await this.request<{ token: string }>('POST', '/v1/operator/tokens', { scope: `vendor:${vendorId}`, label: `simulator ${vendorId}` });
    return new StewardClient(this.baseUrl, answer.token);
  }

  /**
   * `steward release publish` with this client's (vendor) token: the image is written to
   * `workDir` and signed with the vendor key file there. Returns the target path.
   */
  async publishRelease(options: { vendorId: string; keyFile: string; workDir: string; version: string; hardwareModel: string; bytes: Uint8Array; notes?: string }): Promise<string> {
    await mkdir(options.workDir, { recursive: true });
    const file = join(options.workDir, `${options.hardwareModel}-fw-${options.version}.bin`);
    await writeFile(file, options.bytes);
    const argv = ['release', 'publish', file, '--vendor', options.vendorId, '--version', options.version, '--hardware', options.hardwareModel, '--component', 'firmware', '--key', options.keyFile];
    if (options.notes) argv.push('--notes', options.notes);
    await retrying(() => runStewardCommand(argv, { env: { STEWARD_URL: this.baseUrl, STEWARD_TOKEN: this.token } }));
    return `${options.vendorId}/${options.hardwareModel}-fw-${options.version}.bin`;
  }

  /** Versions of a vendor's published releases. */
  async releaseVersions(vendorId: string): Promise<string[]> {
    const answer = await this.request<{ releases: { version: string }[] }>('GET', `/v1/vendors/${encodeURIComponent(vendorId)}/releases`);
    return answer.releases.map((release) => release.version);
  }

  async startRollout(body: Record<string, unknown>): Promise<string> {
    return (await this.request<{ id: string }>('POST', '/v1/operator/rollouts', body)).id;
  }

  rollout(rolloutId: string): Promise<RolloutView> {
    return this.request<RolloutView>('GET', `/v1/operator/rollouts/${encodeURIComponent(rolloutId)}`);
  }
}

/** Try `work` again while the server is unreachable or answers 502/503, for up to two minutes. */
export async function retrying<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      const status = error instanceof CliError ? error.details?.['status'] : undefined;
      const transient = error instanceof CliError && (error.code === 'STW_CLI_SERVER_UNREACHABLE' || status === 502 || status === 503);
      if (!transient || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
