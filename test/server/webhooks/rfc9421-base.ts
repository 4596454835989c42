/**
 * RFC 9421 2.5, written out by hand for the tests (no library): the signature base is one
 * line `"<component name>": <value>` per covered component, in order, then the line
 * `"@signature-params": <the Signature-Input member value>`, joined with LF and no final LF.
 * Checked against the RFC's own appendix B.2.5 example before it is trusted with ours.
 *
 * @example
 * signatureBase([['@method', 'POST']], '("@method");created=1;keyid="k"');
 */
export function signatureBase(components: ReadonlyArray<readonly [string, string]>, signatureParams: string): string {
  return [...components.map(([name, value]) => `"${name}": ${value}`), `"@signature-params": ${signatureParams}`].join('\n');
}

/** RFC 9421 B.1.5: the shared secret `test-shared-secret` (64 bytes, base64). */
export const RFC_SHARED_SECRET = Buffer.from('uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==', 'base64');

/** RFC 9421 B.2.5: signing the test request with hmac-sha256. */
export const RFC_B25 = {
  components: [
    ['date', 'Tue, 20 Apr 2021 02:07:55 GMT'],
    ['@authority', 'example.com'],
    ['content-type', 'application/json'],
  ] as const,
  signatureParams: '("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
  signature: 'pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=',
};
