import t from 'tap';
import { encodeRoleName } from '../../../device-sdk/tuf/index.js';

t.test('safe characters are kept, everything else is percent-encoded byte by byte', async (t) => {
  t.equal(encodeRoleName('acme-pos_v1.2'), 'acme-pos_v1.2');
  t.equal(encodeRoleName('acme/pos fw'), 'acme%2Fpos%20fw');
  t.equal(encodeRoleName('vendor\\x'), 'vendor%5Cx');
  t.equal(encodeRoleName('café'), 'caf%C3%A9');
  t.equal(encodeRoleName('a%2F'), 'a%252F', 'a percent sign is encoded too, so names never collide');
});

t.test('no encoded name can be a dot segment or a hidden file', async (t) => {
  t.equal(encodeRoleName('.'), '%2E');
  t.equal(encodeRoleName('..'), '%2E.');
  t.equal(encodeRoleName('.hidden'), '%2Ehidden');
  t.notOk(encodeRoleName('../../etc/passwd').includes('/'));
});
