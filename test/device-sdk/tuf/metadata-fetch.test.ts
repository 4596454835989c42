import t from 'tap';
import { DeviceError } from '../../../device-sdk/errors.js';
import type { Fetcher } from '../../../device-sdk/fetch/fetcher.js';
import { fetchBounded, fromMirrors, isNotFound, joinUrl } from '../../../device-sdk/tuf/metadata-fetch.js';

function chunks(...parts: string[]): Fetcher {
  return {
    fetch: async () => ({
      start: 0,
      totalLength: undefined,
      body: (async function* () {
        for (const part of parts) yield Buffer.from(part);
      })(),
    }),
  };
}

t.test('a body within the cap is returned whole', async (t) => {
  t.same((await fetchBounded(chunks('ab', 'cd'), 'http://x/a', 4)).toString(), 'abcd');
});

t.test('a body past the cap fails even when the fetcher does not stop it', async (t) => {
  await t.rejects(fetchBounded(chunks('ab', 'cd', 'e'), 'http://x/a', 4), { code: 'STW_DEVICE_TOO_LARGE' });
});

t.test('joinUrl adds exactly one slash', async (t) => {
  t.equal(joinUrl('http://h/m', 'a.json'), 'http://h/m/a.json');
  t.equal(joinUrl('http://h/m/', 'a.json'), 'http://h/m/a.json');
});

t.test('mirrors are tried in order and the first success wins', async (t) => {
  const tried: string[] = [];
  const result = await fromMirrors(['a', 'b', 'c'], async (base) => {
    tried.push(base);
    if (base === 'a') throw new DeviceError('STW_DEVICE_FETCH_FAILED', 'down');
    return base;
  });
  t.equal(result, 'b');
  t.same(tried, ['a', 'b']);
});

t.test('when every mirror fails, a verification failure is reported before transport trouble', async (t) => {
  await t.rejects(
    fromMirrors(['a', 'b'], async (base) => {
      throw base === 'a' ? new DeviceError('STW_DEVICE_FETCH_TIMEOUT', 'slow') : new DeviceError('STW_DEVICE_ROLLBACK', 'old');
    }),
    { code: 'STW_DEVICE_ROLLBACK' },
  );
  await t.rejects(
    fromMirrors(['a', 'b'], async () => {
      throw new DeviceError('STW_DEVICE_FETCH_FAILED', 'down');
    }),
    { code: 'STW_DEVICE_FETCH_FAILED' },
  );
});

t.test('403 and 404 mean absent; other statuses do not', async (t) => {
  t.ok(isNotFound(new DeviceError('STW_DEVICE_HTTP_STATUS', 'x', { details: { status: 404 } })));
  t.ok(isNotFound(new DeviceError('STW_DEVICE_HTTP_STATUS', 'x', { details: { status: 403 } })));
  t.notOk(isNotFound(new DeviceError('STW_DEVICE_HTTP_STATUS', 'x', { details: { status: 500 } })));
  t.notOk(isNotFound(new Error('x')));
});
