import { Foundation1764000000000 } from './1764000000000-Foundation';
import { Accounts1764000001000 } from './1764000001000-Accounts';

/** Every migration, oldest first. The only way the schema changes. */
export const migrations = [Foundation1764000000000, Accounts1764000001000];
