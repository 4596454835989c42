import t from 'tap';
import { contentDigestMatches, declaredSha256 } from '../../../../server/fleet/identity/content-digest.js';

t.test('RFC 9530 appendix B: the sha-256 of {"hello": "world"}', async (t) => {
  const body = Buffer.from('{"hello": "world"}');
  t.ok(contentDigestMatches('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', body));
  t.notOk(contentDigestMatches('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPF=:', body), 'one character off');
});

t.test('a body-less request carries the digest of the empty body', async (t) => {
  t.ok(contentDigestMatches('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:', undefined));
  t.ok(contentDigestMatches('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:', Buffer.alloc(0)));
});

t.test('the sha-256 member is found among others, with parameters', async (t) => {
  t.equal(declaredSha256('sha-512=:YWJj:, sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:;x=1'), '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  t.equal(declaredSha256(['sha-512=:YWJj:', 'sha-256=:YWJj:']), 'YWJj', 'split over two field lines');
});

t.test('missing, repeated or malformed digests are refused', async (t) => {
  t.equal(declaredSha256(undefined), undefined);
  t.equal(declaredSha256('sha-512=:YWJj:'), undefined, 'no sha-256');
  t.equal(declaredSha256('sha-256=:YWJj:, sha-256=:ZGVm:'), undefined, 'repeated');
  t.equal(declaredSha256('sha-256=YWJj'), undefined, 'not a byte sequence');
  t.equal(declaredSha256('sha-256=:YW Jj:'), undefined, 'not base64');
  t.notOk(contentDigestMatches('garbage', Buffer.from('x')));
});
