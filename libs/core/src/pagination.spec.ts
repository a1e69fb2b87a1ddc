import { DomainError } from './domain-error';
import { decodeCursor, decodeKeyset, encodeCursor, toPage } from './pagination';

describe('cursor pagination', () => {
  it('round-trips a key through an opaque cursor', () => {
    const cursor = encodeCursor(['2017-08-15T04:00:00.000Z', 'a1']);
    expect(cursor).not.toContain('2017');
    expect(decodeCursor(cursor, 2)).toEqual(['2017-08-15T04:00:00.000Z', 'a1']);
  });

  it('refuses cursors it did not issue', () => {
    expect(() => decodeCursor('not-base64-json', 2)).toThrow(DomainError);
    expect(() => decodeCursor(encodeCursor(['only-one']), 2)).toThrow(/not a cursor/);
    expect(() => decodeCursor(Buffer.from('[{"a":1},2]').toString('base64url'), 2)).toThrow(DomainError);
  });

  it('returns a next cursor only when more rows exist', () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    const page = toPage(
      rows,
      2,
      (r) => [r.n],
      (r) => r.n * 10,
    );
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor(page.nextCursor as string, 1)).toEqual([2]);
    expect(
      toPage(
        rows,
        3,
        (r) => [r.n],
        (r) => r.n,
      ).nextCursor,
    ).toBeNull();
  });

  it('names the keyset position as the repository wants it', () => {
    expect(decodeKeyset(undefined, 'name')).toBeUndefined();
    expect(decodeKeyset(encodeCursor(['Main hall', 'a1']), 'name')).toEqual({ name: 'Main hall', id: 'a1' });
    expect(() => decodeKeyset('garbage', 'name')).toThrow(DomainError);
  });
});
