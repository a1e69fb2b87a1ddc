import { longDay } from './format';

describe('longDay', () => {
  it('keeps the year and its abbreviation together in ru and kk (no line break between them)', () => {
    expect(longDay('2017-08-15', 'ru')).toContain('2017\u00a0г.');
    expect(longDay('2017-08-15', 'kk')).toContain('2017\u00a0ж.');
    expect(longDay('2017-08-15', 'en')).toMatch(/Tuesday.*15 August 2017/);
  });
});
