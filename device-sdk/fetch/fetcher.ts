/**
 * The one seam between the device SDK and the network. The TUF client, the downloader and
 * the agent see only this. Two implementations ship: `HttpFetcher` on global fetch (any
 * runtime with fetch) and `NodeHttpFetcher` on node:http(s) (the default in Node).
 */
export interface FetchRequest {
  readonly url: string;
  /** Upper bound on the whole resource in bytes; exceeding it fails with STW_DEVICE_TOO_LARGE. */
  readonly maxLength: number;
  /** Ask for the bytes from this offset on (HTTP Range, RFC 9110 14.2). Default 0. */
  readonly offset?: number;
  readonly signal?: AbortSignal;
}

export interface FetchResponse {
  /** Offset of the first byte of `body`: the requested offset, or 0 when the server ignored Range. */
  readonly start: number;
  /** The whole resource's length when the server said so. */
  readonly totalLength: number | undefined;
  readonly body: AsyncIterable<Uint8Array>;
}

export interface Fetcher {
  fetch(request: FetchRequest): Promise<FetchResponse>;
}
