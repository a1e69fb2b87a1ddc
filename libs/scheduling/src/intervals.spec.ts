import { coveredBy, gridStarts, intersect, normalize, subtract, Timeline, union } from './intervals';

const i = (start: number, end: number) => ({ start, end });

describe('interval arithmetic', () => {
  it('normalizes: sorts, drops empties, merges overlapping and touching intervals', () => {
    expect(normalize([i(5, 7), i(1, 3), i(3, 4), i(6, 9), i(10, 10)])).toEqual([i(1, 4), i(5, 9)]);
  });

  it('intersects lists', () => {
    expect(intersect([i(0, 10), i(20, 30)], [i(5, 25)])).toEqual([i(5, 10), i(20, 25)]);
    expect(intersect([i(0, 10)], [i(10, 20)])).toEqual([]);
  });

  it('subtracts lists', () => {
    expect(subtract([i(0, 10), i(20, 30)], [i(2, 4), i(8, 22), i(29, 40)])).toEqual([
      i(0, 2),
      i(4, 8),
      i(22, 29),
    ]);
    expect(subtract([i(0, 10)], [])).toEqual([i(0, 10)]);
    expect(subtract([i(0, 10)], [i(0, 10)])).toEqual([]);
  });

  it('unites lists', () => {
    expect(union([i(0, 2)], [i(1, 5)], [i(7, 8)])).toEqual([i(0, 5), i(7, 8)]);
  });

  it('tells whether one interval of a normal list covers another', () => {
    const list = [i(0, 10), i(20, 30)];
    expect(coveredBy(i(2, 10), list)).toBe(true);
    expect(coveredBy(i(20, 30), list)).toBe(true);
    expect(coveredBy(i(8, 21), list)).toBe(false);
    expect(coveredBy(i(31, 32), list)).toBe(false);
  });

  it('lists grid-aligned starts where a duration fits', () => {
    expect(gridStarts([i(7, 40), i(50, 60)], 15, 15)).toEqual([15]);
    expect(gridStarts([i(0, 60)], 30, 15)).toEqual([0, 15, 30]);
    expect(gridStarts([i(0, 60)], 30, 15, 2)).toEqual([0, 15]);
  });
});

describe('Timeline', () => {
  it('books, finds overlaps and releases', () => {
    const t = new Timeline();
    t.book(10, 20, 'a');
    t.book(30, 40, 'b');
    expect(t.isFree(20, 30)).toBe(true);
    expect(t.isFree(19, 21)).toBe(false);
    expect(t.isFree(0, 100)).toBe(false);
    expect(t.overlapping(15, 35)).toEqual(['a', 'b']);
    expect(t.overlapping(20, 30)).toEqual([]);
    t.release(10, 'a');
    expect(t.isFree(0, 30)).toBe(true);
    expect(t.gaps([i(0, 50)])).toEqual([i(0, 30), i(40, 50)]);
    expect(() => t.release(10, 'a')).toThrow();
  });
});
