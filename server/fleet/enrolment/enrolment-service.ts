/**
 * Enrolment (protocol.md section 1): the terminal proves who it is (a vendor manufacturing
 * certificate chain and a signature over the challenge with that certificate's key, or a
 * one-time enrolment token) and that it holds its new Ed25519 device key (a signature over
 * the same challenge), and receives its id and trust bundle.
 *
 * The challenge is used up first, whatever happens next, so a failed attempt cannot be
 * retried with it. Every check that needs no write runs before the token use is taken; the
 * token use and the device row are written in one transaction. An enrolment repeated with
 * the key already registered for the serial (the terminal never received the first answer)
 * answers the same device again and takes no token use.
 *
 * @example
 * const enrolment = new EnrolmentService({ db, clock, directorRoots, challengeSeconds: 300 });
 * const { challenge } = await enrolment.challenge();
 * const enrolled = await enrolment.enrol(body); // { deviceId, serial, hardwareModel, trust, endpoints }
 */
import type { Kysely } from 'kysely';
import { ManifestError, PublicKey } from '../../../manifests/index.js';
import { verifyCertificateChain, verifyChallengeSignature, type VerifiedDeviceCertificate } from '../../../manifests/x509/index.js';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';
import { latestMetadata } from '../../repository/metadata-rows.js';
import type { DirectorRoots } from '../director/director-roots.js';
import { inEnrolmentTransaction, registerDevice, type DeviceRegistration } from '../devices/register-device.js';
import { consumeChallenge, issueChallenge } from './challenges.js';
import type { CertificateEnrolment, EnrolmentRequest, TokenEnrolment } from './enrolment-request.js';
import { findEnrolmentToken, takeEnrolmentTokenUse, type EnrolmentToken } from './enrolment-tokens.js';
import { manufacturingCas } from './manufacturing-cas.js';

export interface EnrolmentServiceOptions {
  readonly db: Kysely<Database>;
  readonly clock: () => Date;
  readonly directorRoots: DirectorRoots;
  /** How long a challenge stays usable, in seconds. */
  readonly challengeSeconds: number;
}

export interface Enrolled {
  readonly deviceId: string;
  readonly serial: string;
  readonly hardwareModel: string;
  /** The signed roots, as stored (JSON text), for the answer to embed unchanged. */
  readonly imageRepositoryRoot: string;
  readonly directorRoot: string;
}

interface Identity {
  readonly serial: string;
  readonly hardwareModel: string;
  readonly vendorId: string | null;
  readonly certificateFingerprint: string | null;
}

export class EnrolmentService {
  readonly #options: EnrolmentServiceOptions;

  constructor(options: EnrolmentServiceOptions) {
    this.#options = options;
  }

  challenge(): Promise<{ challenge: string; expiresAt: string }> {
    return issueChallenge(this.#options.db, this.#options.clock(), this.#options.challengeSeconds);
  }

  async enrol(request: EnrolmentRequest): Promise<Enrolled> {
    const { db, clock, directorRoots } = this.#options;
    const imageRoot = await latestMetadata(db, 'root');
    if (!imageRoot) throw stewardError('STW_REPO_NOT_INITIALISED', 'the image repository has no root yet');
    const directorRoot = await directorRoots.current();
    if (!directorRoot) throw stewardError('STW_DIRECTOR_NOT_INITIALISED', 'no director root has been uploaded');

    const now = clock();
    const challenge = await consumeChallenge(db, request.challenge, now);
    if (!challenge) throw stewardError('STW_ENROLMENT_CHALLENGE_INVALID', 'the challenge is unknown, used or expired');
    const key = PublicKey.fromJSON(request.deviceKey, 'deviceKey');
    // Proof of possession of the new device key (RFC 8032 Ed25519 over the challenge bytes).
    if (key.keyType !== 'ed25519' || !key.verify(challenge, request.deviceKeySignature.toLowerCase())) {
      throw stewardError('STW_ENROLMENT_PROOF_INVALID', 'the device key signature over the challenge does not verify', { proof: 'device-key' });
    }
    const registration = (identity: Identity, extra: Pick<DeviceRegistration, 'merchantId' | 'tags'>): DeviceRegistration => ({
      ...identity, ...extra, key, method: request.method,
    });

    let deviceId: string;
    let identity: Identity;
    if (request.method === 'certificate') {
      identity = await this.#certificateIdentity(request, challenge, now);
      ({ deviceId } = await inEnrolmentTransaction(db, identity.serial, (trx) => registerDevice(trx, registration(identity, { merchantId: null, tags: [] }), now)));
    } else {
      const token = await this.#usableToken(request, now);
      identity = { serial: request.serial, hardwareModel: request.hardwareModel, vendorId: null, certificateFingerprint: null };
      const extra = { merchantId: token.merchantId, tags: token.tags ?? [] };
      ({ deviceId } = await inEnrolmentTransaction(db, identity.serial, async (trx) => {
        const registered = await registerDevice(trx, registration(identity, extra), now);
        // A repeated enrolment takes no second use (the first one counted); a refusal rolls the registration back.
        if (!registered.repeated && !(await takeEnrolmentTokenUse(trx, token.id, now))) throw tokenInvalid('used-up');
        return registered;
      }));
    }
    return { deviceId, serial: identity.serial, hardwareModel: identity.hardwareModel, imageRepositoryRoot: imageRoot.body, directorRoot: directorRoot.body };
  }

  async #certificateIdentity(request: CertificateEnrolment, challenge: Buffer, now: Date): Promise<Identity> {
    const anchors = await manufacturingCas(this.#options.db);
    let certificate: VerifiedDeviceCertificate;
    try {
      certificate = verifyCertificateChain({ chainPem: request.certificateChain, trustedCaPem: anchors.map((ca) => ca.certificatePem), now });
    } catch (error) {
      const reason = error instanceof ManifestError ? (error.details?.['reason'] ?? error.code) : 'unreadable';
      throw stewardError('STW_ENROLMENT_CERTIFICATE_INVALID', 'the manufacturing certificate chain is not trusted', { reason }, error);
    }
    let proven: boolean;
    try {
      proven = verifyChallengeSignature({ publicKeyPem: certificate.publicKeyPem, challenge, signature: Buffer.from(request.challengeSignature, 'base64') });
    } catch (error) {
      throw stewardError('STW_ENROLMENT_PROOF_INVALID', 'the certificate key cannot sign challenges', { proof: 'certificate-key' }, error);
    }
    if (!proven) throw stewardError('STW_ENROLMENT_PROOF_INVALID', 'the challenge signature does not verify with the certificate key', { proof: 'certificate-key' });
    const vendor = anchors.find((ca) => ca.fingerprint === certificate.trustAnchorFingerprintSha256);
    return { serial: certificate.serialNumber, hardwareModel: certificate.hardwareModel, vendorId: vendor?.vendorId ?? null, certificateFingerprint: certificate.fingerprintSha256 };
  }

  async #usableToken(request: TokenEnrolment, now: Date): Promise<EnrolmentToken> {
    const token = await findEnrolmentToken(this.#options.db, request.enrolmentToken);
    if (!token) throw tokenInvalid('unknown');
    if (token.expiresAt <= now.toISOString()) throw tokenInvalid('expired');
    // Uses left are checked where one is taken: a repeated enrolment takes none.
    if (token.hardwareModel !== null && token.hardwareModel !== request.hardwareModel) throw tokenInvalid('hardware-model');
    return token;
  }
}

function tokenInvalid(reason: 'unknown' | 'expired' | 'used-up' | 'hardware-model') {
  return stewardError('STW_ENROLMENT_TOKEN_INVALID', `the enrolment token cannot be used (${reason})`, { reason });
}
