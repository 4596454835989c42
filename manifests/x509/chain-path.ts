import type { ParsedCertificate } from './parse-certificate.js';
import { signatureAlgorithmProblem } from './signature-algorithm.js';
import { certificateInvalid } from './x509-errors.js';

/**
 * Builds the certification path leaf -> ... -> trust anchor from a chain given in order
 * (leaf first, each certificate followed by its issuer) and checks every signature on it
 * (RFC 5280 6.1.3 (a)(1)). Names are compared as DER bytes, the strictest form of
 * RFC 5280 7.1 name matching.
 *
 * The chain may end with the trust anchor itself or stop just below it. A certificate after
 * the trust anchor is refused rather than ignored.
 *
 * Returns the path; its last element is the trust anchor. Depth 0 is the leaf.
 */
export function buildCertificationPath(
  chain: readonly ParsedCertificate[],
  anchors: readonly ParsedCertificate[],
): ParsedCertificate[] {
  for (let depth = 0; depth < chain.length; depth += 1) {
    const child = chain[depth]!;
    const next = chain[depth + 1];
    if (next === undefined) return [...chain, findAnchor(child, depth, anchors)];

    if (!next.cert.issued(child.cert)) {
      throw certificateInvalid('issuer-mismatch', 'issuer name is not the subject of the next certificate', { depth });
    }
    checkSignature(next, child, depth);
    const anchorInChain = anchors.some((anchor) => anchor.der.equals(next.der));
    if (anchorInChain) {
      if (depth + 2 < chain.length) {
        throw certificateInvalid('issuer-mismatch', 'certificates follow the trust anchor', { depth: depth + 2 });
      }
      return [...chain];
    }
  }
  // Unreachable for a non-empty chain: the last iteration returns.
  throw certificateInvalid('chain-length', 'the chain is empty');
}

/** RFC 5280 6.1.1 (d): the last certificate of the chain must be issued by a trust anchor. */
function findAnchor(child: ParsedCertificate, depth: number, anchors: readonly ParsedCertificate[]): ParsedCertificate {
  const named = anchors.filter((anchor) => anchor.cert.issued(child.cert));
  if (named.length === 0) {
    throw certificateInvalid('untrusted-root', 'the chain does not lead to a trusted CA', { depth });
  }
  let lastCause: unknown;
  for (const anchor of named) {
    const outcome = verifySignature(anchor, child, depth);
    if (outcome.ok) return anchor;
    lastCause = outcome.cause;
  }
  throw certificateInvalid('signature', 'signature does not verify with any trusted CA of that name', { depth }, lastCause);
}

function checkSignature(issuer: ParsedCertificate, child: ParsedCertificate, depth: number): void {
  const outcome = verifySignature(issuer, child, depth);
  if (!outcome.ok) {
    throw certificateInvalid('signature', 'signature does not verify with the issuer key', { depth }, outcome.cause);
  }
}

function verifySignature(
  issuer: ParsedCertificate,
  child: ParsedCertificate,
  depth: number,
): { ok: true } | { ok: false; cause: unknown } {
  const problem = signatureAlgorithmProblem(child.cert);
  if (problem !== undefined) throw certificateInvalid('unsupported-algorithm', problem, { depth });
  try {
    return issuer.cert.verify(child.cert) ? { ok: true } : { ok: false, cause: undefined };
  } catch (cause) {
    // forge throws on a signature block it cannot decode; that is a failed signature too.
    return { ok: false, cause };
  }
}
