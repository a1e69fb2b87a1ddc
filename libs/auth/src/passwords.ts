import * as argon2 from 'argon2';
import { DomainError } from '@pavilion/core';

/** argon2id with the library's defaults (64 MiB, t=3, p=4), OWASP's recommended family. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// A fixed hash to verify against when the email is unknown, so both failures take the same time.
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('pavilion-decoy-password');
  return decoy;
}

/** Refuses passwords that are easy to guess (a 400 naming `password`). */
export function refuseWeakPassword(password: string, email: string): void {
  const lowered = password.toLowerCase();
  const local = email.split('@')[0];
  const weak =
    new Set(lowered).size < 4 ||
    (local.length >= 4 && lowered.includes(local)) ||
    /^(password|qwerty|123456|letmein|admin)/.test(lowered);
  if (weak) {
    throw DomainError.invalid(
      'password',
      'is too easy to guess: avoid your email, common words and repeated characters',
    );
  }
}
