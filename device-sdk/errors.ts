/**
 * The one error class of the device SDK. Every failure a terminal can meet has a stable
 * `code`; the agent reports codes to the server, and tests assert on them.
 */
export type DeviceErrorCode =
  // transport
  | 'STW_DEVICE_FETCH_FAILED'
  | 'STW_DEVICE_FETCH_TIMEOUT'
  | 'STW_DEVICE_HTTP_STATUS'
  | 'STW_DEVICE_TOO_LARGE'
  | 'STW_DEVICE_RANGE_UNSUPPORTED'
  // TUF client workflow (TUF 5.1 - 5.7)
  | 'STW_DEVICE_NOT_INITIALISED'
  | 'STW_DEVICE_METADATA_INVALID'
  | 'STW_DEVICE_SIGNATURE_INVALID'
  | 'STW_DEVICE_ROOT_ROTATION_FAILED'
  | 'STW_DEVICE_ROLLBACK'
  | 'STW_DEVICE_FREEZE'
  | 'STW_DEVICE_MIX_AND_MATCH'
  | 'STW_DEVICE_TARGET_NOT_FOUND'
  | 'STW_DEVICE_TARGET_MISMATCH'
  | 'STW_DEVICE_DELEGATION_LIMIT'
  // storage
  | 'STW_DEVICE_STORE_FAILED'
  // install and profile apply
  | 'STW_DEVICE_NOT_ALLOWED_NOW'
  | 'STW_DEVICE_INSTALL_FAILED'
  | 'STW_DEVICE_HEALTH_CHECK_FAILED'
  | 'STW_DEVICE_BOOT_LIMIT'
  | 'STW_DEVICE_SLOT_CORRUPT'
  | 'STW_DEVICE_PROFILE_INVALID'
  | 'STW_DEVICE_PROFILE_CHECK_FAILED'
  /** The profile's version, merchant or terminal id is not what the director's target names. */
  | 'STW_DEVICE_PROFILE_MISMATCH'
  | 'STW_DEVICE_STATE_INVALID'
  // director and fleet
  | 'STW_DEVICE_DIRECTOR_INVALID'
  | 'STW_DEVICE_DOWNGRADE'
  | 'STW_DEVICE_WRONG_HARDWARE'
  | 'STW_DEVICE_ENROLMENT_FAILED'
  /** The installed version is below the release's `min_from_version`: no upgrade path. */
  | 'STW_DEVICE_MIN_VERSION'
  /** The director names a component this terminal has no installer for. */
  | 'STW_DEVICE_UNKNOWN_COMPONENT'
  // command line
  | 'STW_DEVICE_USAGE';

export class DeviceError extends Error {
  readonly code: DeviceErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: DeviceErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeviceError';
    this.code = code;
    this.details = options?.details;
  }
}
