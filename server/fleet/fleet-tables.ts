/**
 * Tables of devices, enrolment, check-ins and director documents (see
 * migrations/2026-11-28-002-fleet.ts). Timestamps are ISO-8601 UTC text, JSON is text,
 * flags are integers 0/1.
 */

/** `active` devices check in; `disabled` ones are refused; `swapped-out` ones free their serial. */
export type DeviceStatus = 'active' | 'disabled' | 'swapped-out';

export interface DevicesTable {
  /** `dev_<uuid>`: the RFC 9421 key id of the device's requests. */
  id: string;
  serial: string;
  hardware_model: string;
  /** The vendor whose manufacturing CA vouched for the device (certificate enrolment). */
  vendor_id: string | null;
  merchant_id: string | null;
  /** The terminal id (TID) the merchant's acquirer knows it by; set by the operator. */
  terminal_id: string | null;
  /** JSON array of strings. */
  tags: string;
  /** IANA zone (the merchant's); `UTC` when unknown. */
  time_zone: string;
  status: DeviceStatus;
  /** The device key in TUF key encoding (JSON). */
  public_key: string;
  /** TUF key id of `public_key`. */
  key_id: string;
  /** 1 when the operator allowed the next enrolment of this serial to register a new key. */
  rekey_allowed: number;
  enrolment_method: 'certificate' | 'token';
  certificate_fingerprint: string | null;
  enrolled_at: string;
  last_seen_at: string | null;
  /** The latest reported health (JSON object). */
  health: string | null;
  /** The latest reported installed components (JSON array). */
  installed: string | null;
  /** The installed `firmware` component's version, for the fleet summary. */
  firmware_version: string | null;
  profile_version: number | null;
  flag_paper_out: number;
  flag_update_failed: number;
  flag_profile_not_applied: number;
  /** SHA-256 of the last recorded (installed, profile version, flags): a change writes history. */
  state_hash: string | null;
  /** When the last check-in history row was written. */
  history_at: string | null;
}

export interface EnrolmentChallengesTable {
  /** base64url of 32 random bytes; deleted when used. */
  challenge: string;
  expires_at: string;
}

export interface EnrolmentTokensTable {
  id: string;
  /** SHA-256 hex of the token; the token itself is shown once. */
  token_hash: string;
  label: string;
  uses_left: number;
  expires_at: string;
  hardware_model: string | null;
  merchant_id: string | null;
  /** JSON array of strings, or null. */
  tags: string | null;
  created_at: string;
}

export interface ManufacturingCasTable {
  vendor_id: string;
  /** SHA-256 hex of the certificate DER. */
  fingerprint: string;
  certificate_pem: string;
  created_at: string;
}

export interface RequestNoncesTable {
  device_id: string;
  nonce: string;
  /** `created` + the replay window: after this the signature is stale anyway. */
  expires_at: string;
}

export interface CheckInsTable {
  id: string;
  device_id: string;
  at: string;
  health: string;
  installed: string;
  profile_version: number | null;
}

export interface DeviceEventsTable {
  device_id: string;
  /** The device's idempotency key. */
  id: string;
  kind: string;
  rollout_id: string | null;
  target_path: string | null;
  version: string | null;
  code: string | null;
  /** When it happened, as the device reported. */
  at: string;
  received_at: string;
}

export interface DirectorRootsTable {
  version: number;
  /** The signed root JSON as uploaded. */
  body: string;
  sha256: string;
  created_at: string;
}

export interface DirectorDocumentsTable {
  device_id: string;
  version: number;
  /** SHA-256 hex of `body`: the HTTP entity tag (without quotes). */
  etag: string;
  /** SHA-256 of what the document says, without version and expiry: unchanged means no re-signing. */
  state_hash: string;
  expires_at: string;
  /** The profile version the document names, if any. */
  profile_version: number | null;
  /** The signed director targets document (JSON). */
  body: string;
  signed_at: string;
}

export interface FleetTables {
  devices: DevicesTable;
  enrolment_challenges: EnrolmentChallengesTable;
  enrolment_tokens: EnrolmentTokensTable;
  manufacturing_cas: ManufacturingCasTable;
  request_nonces: RequestNoncesTable;
  check_ins: CheckInsTable;
  device_events: DeviceEventsTable;
  director_roots: DirectorRootsTable;
  director_documents: DirectorDocumentsTable;
}
