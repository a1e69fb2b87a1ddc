import { DomainError } from './domain-error';

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
  throw DomainError.invalid('cursor', 'is not a cursor this API issued');
}

/** The (key, id) position a keyset cursor points after, named as the caller's repository wants it. */
export function decodeKeyset<K extends string>(
  cursor: string | undefined,
  key: K,
): (Record<K, string> & { id: string }) | undefined {
  if (!cursor) return undefined;
  const [value, id] = decodeCursor(cursor, 2);
  return { [key]: String(value), id: String(id) } as Record<K, string> & { id: string };
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
