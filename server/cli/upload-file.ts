/**
 * A streamed PUT of a file with node:http(s): a fixed Content-Length, the file read with
 * back-pressure (constant memory for any size), progress reported as bytes leave. If the
 * server answers before the body is sent (401, 413), the rest is not sent.
 */
import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CliError } from './cli-error.js';

export function uploadFile(url: URL, headers: Record<string, string>, file: string, length: number, onProgress: (sent: number) => void): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const source = createReadStream(file);
    let answered = false;
    const request = send(url, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(length) },
    });
    request.on('response', (response: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        source.destroy();
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
    });
    request.on('error', (error) => {
      source.destroy();
      if (!answered) reject(error);
    });
    let sent = 0;
    source.on('data', (chunk) => {
      sent += chunk.length;
      onProgress(sent);
    });
    source.on('error', (error) => {
      request.destroy();
      reject(new CliError('STW_CLI_FILE_UNREADABLE', `could not read ${file}`, { cause: error }));
    });
    source.pipe(request);
  });
}
