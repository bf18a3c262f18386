import { hash, verify } from '@node-rs/argon2';
// Common passwords (8+ characters, lowercased): the most frequent entries of @zxcvbn-ts/language-common
// passwords.json (MIT, (c) Dan Wheeler, Dropbox Inc., @zxcvbn-ts) plus Indonesian favourites. A JSON module, so
// the server bundle and the plain-Node CLI both load it.
import COMMON_PASSWORDS from './common-passwords.json' with { type: 'json' };

/**
 * Passwords: argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane), 8 to 255 characters, refused when
 * in the common-password list. No composition rules (NIST SP 800-63B).
 */
const ARGON2ID = 2; // Algorithm.Argon2id; the enum is a const enum, which type stripping cannot inline
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 255;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(COMMON_PASSWORDS);
  return common;
}

/** Why a new password is refused, or null when it is fine. Length counts characters, not bytes. */
export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'too_short';
  if (length > PASSWORD_MAX) return 'too_long';
  if (commonPasswords().has(password.toLowerCase())) return 'too_common';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/** A hash of nothing in particular, verified against when an e-mail is unknown so a failed log-in takes as long either way. */
let decoy: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await decoy, password);
  return false;
}

/** A password for the admin CLI to print once: 20 base32 characters (100 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => alphabet[b % 32]).join('');
}
