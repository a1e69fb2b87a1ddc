import { DomainError } from './domain-error';
import { textFault } from './text';
import { isValidLocalDate } from './time';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset cursors are opaque to clients: base64url of a small JSON tuple. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const refusal = () => DomainError.invalid('cursor', 'is not a cursor this API issued');

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    ) {
      return key as (string | number)[];
    }
  } catch {
    // falls through to the refusal below
  }
  throw refusal();
}

/** What a keyset column holds, so a tampered cursor is refused here instead of by PostgreSQL (a 500). */
export type KeysetKind = 'text' | 'date' | 'instant' | 'microseconds';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND_OF_KEY: Record<string, KeysetKind> = {
  startsOn: 'date',
  startsAt: 'instant',
  createdUs: 'microseconds',
};
const KEY_TEST: Record<KeysetKind, (value: string) => boolean> = {
  // Text goes to PostgreSQL as a parameter: only NUL and broken UTF-16 can make it fail there.
  text: (v) => v.length <= 1000 && textFault(v) === null,
  date: (v) => isValidLocalDate(v) && !v.startsWith('0000'),
  // 'infinity' is where unplaced items sort (after every start).
  instant: (v) =>
    v === 'infinity' ||
    (/^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(v) && !isNaN(Date.parse(v))),
  microseconds: (v) => /^-?\d{1,17}$/.test(v),
};

/**
 * The (key, id) position a keyset cursor points after, named as the caller's repository wants it. Both values
 * are checked against what the columns hold (`kind`, by default from the key's name; the id is a UUID).
 */
export function decodeKeyset<K extends string>(
  cursor: string | undefined,
  key: K,
  kind: KeysetKind = KIND_OF_KEY[key] ?? 'text',
): (Record<K, string> & { id: string }) | undefined {
  if (!cursor) return undefined;
  const [value, id] = decodeCursor(cursor, 2);
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof id !== 'string' || !UUID.test(id) || !KEY_TEST[kind](text)) throw refusal();
  return { [key]: text, id } as Record<K, string> & { id: string };
}

/** Takes `limit + 1` rows fetched in key order and turns them into a page. */
export function toPage<Row, T>(
  rows: Row[],
  limit: number,
  key: (row: Row) => (string | number)[],
  map: (row: Row) => T,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextCursor: more ? encodeCursor(key(kept[kept.length - 1])) : null };
}
