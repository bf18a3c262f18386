import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** Random identifiers and secrets for sessions, API tokens and e-mail links: 120 bits from the CSPRNG, base32. */
export function randomId(bytes = 15): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

/** What is stored for a secret: its SHA-256, hex-encoded. The secret itself is never stored. */
export function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** Compares the hash of `secret` with a stored hash in constant time (no early exit on the first differing byte). */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = sha256(new TextEncoder().encode(secret));
  let stored: Uint8Array;
  try {
    stored = decodeHex(storedHash);
  } catch {
    return false;
  }
  return given.length === stored.length && constantTimeEqual(given, stored);
}

/** Splits `<prefix><id>.<secret>`; null when the shape is wrong. */
export function splitToken(token: string, prefix = ''): { id: string; secret: string } | null {
  if (!token.startsWith(prefix)) return null;
  const parts = token.slice(prefix.length).split('.');
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (!/^[a-z2-7]{8,64}$/.test(id) || !/^[a-z2-7]{16,128}$/.test(secret)) return null;
  return { id, secret };
}
