import type { User } from '../../schemas/people.js';
import type { UserRecord } from './user-repository.js';

/** A user as the API shows it: never the password's hash. */
export function publicUser(record: UserRecord): User {
  const { passwordHash: _hash, issuer: _issuer, ...user } = record;
  return user;
}
