import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { HttpFetcher, type TimerScheduler } from '../../../device-sdk/fetch/http-fetcher.js';
import { NodeHttpFetcher } from '../../../device-sdk/fetch/node-http-fetcher.js';
import type { FetchResponse, Fetcher } from '../../../device-sdk/fetch/fetcher.js';
import { DeviceError } from '../../../device-sdk/errors.js';
import { startByteServer, type Behaviour } from './fixtures/byte-server.js';

const content = randomBytes(64 * 1024);

async function collect(response: FetchResponse): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function serve(t: Test, script: Behaviour[] = [], body: Uint8Array = content) {
  const server = await startByteServer(body, script);
  t.teardown(() => server.close());
  return server;
}

/** Timers that fire only when the test says so. */
function manualTimers() {
  const pending = new Map<number, { delayMs: number; fire: () => void }>();
  let next = 0;
  const schedule: TimerScheduler = (delayMs, fire) => {
    const id = next++;
    pending.set(id, { delayMs, fire });
    return () => pending.delete(id);
  };
  const fireAll = (): number => {
    const due = [...pending.values()];
    pending.clear();
    for (const timer of due) timer.fire();
    return due.length;
  };
  return { schedule, fireAll, pending };
}

function codeOf(error: unknown): string | undefined {
  return error instanceof DeviceError ? error.code : undefined;
}

interface CommonConfig {
  readonly schedule?: TimerScheduler;
  readonly connectTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

/** The same contract for both fetchers: global fetch (portable) and node:http (the SDK's default in Node). */
const fetchers: Record<string, (config?: CommonConfig) => Fetcher> = {
  HttpFetcher: (config) => new HttpFetcher(config),
  NodeHttpFetcher: (config) => new NodeHttpFetcher(config),
};

for (const [name, make] of Object.entries(fetchers)) {
  t.test(name, async (t) => {
    t.test('when no offset is asked for, the whole body comes from byte 0', async (t) => {
      const server = await serve(t);
      const response = await make().fetch({ url: server.url, maxLength: content.byteLength });
      t.equal(response.start, 0);
      t.equal(response.totalLength, content.byteLength);
      t.same(await collect(response), content);
      t.same(server.ranges, [undefined]);
    });

    t.test('when resuming at an offset, a 206 body starts there', async (t) => {
      const server = await serve(t);
      const response = await make().fetch({ url: server.url, maxLength: content.byteLength, offset: 1000 });
      t.equal(response.start, 1000);
      t.equal(response.totalLength, content.byteLength);
      t.same(await collect(response), content.subarray(1000));
      t.same(server.ranges, ['bytes=1000-']);
    });

    t.test('when the server ignores Range, start says 0 and the whole body follows', async (t) => {
      const server = await serve(t, [{ kind: 'ignore-range' }]);
      const response = await make().fetch({ url: server.url, maxLength: content.byteLength, offset: 1000 });
      t.equal(response.start, 0);
      t.same(await collect(response), content);
    });

    t.test('when a 206 starts elsewhere than asked, the response is refused', async (t) => {
      const server = await serve(t, [{ kind: 'bad-range', contentRange: 'bytes 0-65535/65536' }]);
      const error = await make().fetch({ url: server.url, maxLength: content.byteLength, offset: 10 }).catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_RANGE_UNSUPPORTED');
    });

    t.test('when the server answers 404, the status is in the error details', async (t) => {
      const server = await serve(t, [{ kind: 'status', status: 404 }]);
      const error = await make().fetch({ url: server.url, maxLength: 100 }).catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_HTTP_STATUS');
      t.equal((error as DeviceError).details?.status, 404);
    });

    t.test('when the declared length exceeds the cap, nothing is streamed', async (t) => {
      const server = await serve(t);
      const error = await make().fetch({ url: server.url, maxLength: content.byteLength - 1 }).catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_TOO_LARGE');
    });

    t.test('when a body without a length grows past the cap, streaming stops with TOO_LARGE', async (t) => {
      const server = await serve(t, [{ kind: 'no-length' }]);
      const response = await make().fetch({ url: server.url, maxLength: 1000 });
      t.equal(response.totalLength, undefined);
      const error = await collect(response).catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_TOO_LARGE');
    });

    t.test('when the connection is cut mid-body, reading fails with FETCH_FAILED', async (t) => {
      const server = await serve(t, [{ kind: 'cut', after: 5000 }]);
      const response = await make().fetch({ url: server.url, maxLength: content.byteLength });
      let received = 0;
      const error = await (async () => {
        for await (const chunk of response.body) received += chunk.byteLength;
      })().catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_FETCH_FAILED');
      t.ok(received <= 5000, 'no more than was sent');
    });

    t.test('when the head never arrives, the connect timeout fires', async (t) => {
      const server = await serve(t, [{ kind: 'hang' }]);
      const timers = manualTimers();
      const pending = make({ schedule: timers.schedule, connectTimeoutMs: 5 }).fetch({ url: server.url, maxLength: 100 });
      await server.received(1);
      t.equal(timers.fireAll(), 1, 'one connect timer armed');
      const error = await pending.catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_FETCH_TIMEOUT');
      t.equal((error as DeviceError).details?.timeout, 'connect');
    });

    t.test('when the body stalls, the idle timeout fires', async (t) => {
      const server = await serve(t, [{ kind: 'stall', after: 100 }]);
      const timers = manualTimers();
      const response = await make({ schedule: timers.schedule }).fetch({ url: server.url, maxLength: content.byteLength });
      t.equal(timers.pending.size, 0, 'the connect timer is cleared once the head arrived');
      const iterator = response.body[Symbol.asyncIterator]();
      const first = await iterator.next();
      t.equal(first.done, false);
      const second = iterator.next();
      t.equal(timers.fireAll(), 1, 'one idle timer armed while waiting');
      const error = await second.catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_FETCH_TIMEOUT');
      t.equal((error as DeviceError).details?.timeout, 'idle');
    });

    t.test('when the caller aborts, the fetch fails as aborted', async (t) => {
      const server = await serve(t, [{ kind: 'hang' }]);
      const controller = new AbortController();
      const pending = make().fetch({ url: server.url, maxLength: 100, signal: controller.signal });
      await server.received(1);
      controller.abort();
      const error = await pending.catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_FETCH_FAILED');
      t.equal((error as DeviceError).details?.aborted, true);
    });

    t.test('when nothing listens on the port, the fetch fails', async (t) => {
      const server = await startByteServer(content);
      const url = server.url;
      await server.close();
      const error = await make().fetch({ url, maxLength: 100 }).catch((e: unknown) => e);
      t.equal(codeOf(error), 'STW_DEVICE_FETCH_FAILED');
    });
  });
}
