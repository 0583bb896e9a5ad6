// Password hashing with bcrypt (bcryptjs: pure JavaScript, the same algorithm and format
// as the native bcrypt). Cost 10 takes ~70 ms here: slow for attackers, fine for sign-in.
import bcrypt from "bcryptjs";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 72; // bcrypt reads at most 72 bytes
const BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
