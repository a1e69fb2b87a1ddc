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
    expect(decodeKeyset(encodeCursor(['Main hall', '6f1c2a9e-0d3b-4c8e-9a55-3f0e2b7d1c44']), 'name')).toEqual(
      {
        name: 'Main hall',
        id: '6f1c2a9e-0d3b-4c8e-9a55-3f0e2b7d1c44',
      },
    );
    expect(() => decodeKeyset('garbage', 'name')).toThrow(DomainError);
  });
});

describe('keyset cursors from strangers', () => {
  const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const uuid = '6f1c2a9e-0d3b-4c8e-9a55-3f0e2b7d1c44';

  it.each([
    ['an id that is not a UUID', forged(['abc', 'not-a-uuid']), 'name'],
    ['a number as the id', forged(['abc', 42]), 'name'],
    ['a NUL in a text key', forged(['a\u0000b', uuid]), 'name'],
    ['a lone surrogate in a text key', forged(['\ud800', uuid]), 'name'],
    ['text where a date belongs', forged(['abc', uuid]), 'startsOn'],
    ['year zero', forged(['0000-01-01', uuid]), 'startsOn'],
    ['text where an instant belongs', forged(['abc', uuid]), 'startsAt'],
    ['an instant without a zone', forged(['2017-08-15T10:00:00', uuid]), 'startsAt'],
    ['text where microseconds belong', forged(['1e5', uuid]), 'createdUs'],
    ['too many digits for a bigint', forged(['9'.repeat(30), uuid]), 'createdUs'],
  ])('refuses %s', (_name, cursor, key) => {
    expect(() => decodeKeyset(cursor, key)).toThrow(/not a cursor this API issued/);
  });

  it('accepts what the API itself issues', () => {
    expect(decodeKeyset(forged(['2017-08-15', uuid]), 'startsOn')).toEqual({
      startsOn: '2017-08-15',
      id: uuid,
    });
    expect(decodeKeyset(forged(['2017-08-15T04:00:00.000Z', uuid]), 'startsAt')).toBeDefined();
    expect(decodeKeyset(forged(['infinity', uuid]), 'startsAt')).toBeDefined();
    expect(decodeKeyset(forged(['1502769600000000', uuid]), 'createdUs')).toBeDefined();
    expect(decodeKeyset(forged(['Зал «Астана» 🎪', uuid]), 'company')).toBeDefined();
  });
});
