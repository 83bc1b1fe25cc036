/**
 * Every error the newsroom server answers has this body: a stable machine-readable `code`
 * (clients branch on it, e.g. to show "session expired" instead of "wrong password") and a
 * human-readable `message` in English for logs and developers.
 */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export const API_ERROR_CODES = [
  /** The body or query does not match the schema (wrong type, missing or extra property). */
  'invalid_request',
  /** The body is not valid JSON. */
  'invalid_json',
  /** The body is larger than the route accepts. */
  'body_too_large',
  /** The body's content type is not JSON. */
  'unsupported_media_type',
  /** No bearer token was sent. */
  'unauthenticated',
  /** The bearer token is unknown (never issued, or malformed). */
  'invalid_token',
  /** The session reached its expiry: log in again. */
  'session_expired',
  /** The session was ended by logout, by an admin, or by a password change: log in again. */
  'session_revoked',
  /** Login refused: unknown user, wrong password or deactivated account (deliberately one code). */
  'invalid_credentials',
  /** Logged in, but the role or ownership does not allow this. */
  'forbidden',
  'not_found',
  /** The request conflicts with the current state (taken username, rubrik not empty, ...). */
  'conflict',
  'rate_limited',
  /** The server cannot do this right now (e.g. it cannot count login attempts): try again shortly. */
  'unavailable',
  /** A photo upload's bytes do not have the sha256 it announced: deleted, send it again. */
  'photo_checksum_mismatch',
  /** A photo upload's bytes are not a JPEG, PNG, WebP or HEIC image: deleted. */
  'photo_not_image',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
