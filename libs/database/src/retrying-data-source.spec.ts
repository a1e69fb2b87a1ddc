import { QueryFailedError } from 'typeorm';
import { isTransientConflict, transientRetryDelayMs } from './retrying-data-source';

const refusal = (code: string) =>
  new QueryFailedError('UPDATE …', [], Object.assign(new Error('refused'), { code }));

describe('isTransientConflict', () => {
  it('knows a deadlock and a serialization failure, through TypeORM or straight from the driver', () => {
    expect(isTransientConflict(refusal('40P01'))).toBe(true);
    expect(isTransientConflict(refusal('40001'))).toBe(true);
    expect(isTransientConflict(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
  });

  it('leaves refusals of the request itself and other failures alone', () => {
    for (const code of ['23505', '23P01', '22012', '57P01', 'ECONNRESET'])
      expect(isTransientConflict(refusal(code))).toBe(false);
    expect(isTransientConflict(new Error('boom'))).toBe(false);
    expect(isTransientConflict(undefined)).toBe(false);
  });
});

describe('transientRetryDelayMs', () => {
  it('doubles from 5–10 ms, jittered within each step', () => {
    expect([1, 2, 3].map((attempt) => transientRetryDelayMs(attempt, () => 0))).toEqual([5, 10, 20]);
    expect([1, 2, 3].map((attempt) => transientRetryDelayMs(attempt, () => 0.999))).toEqual([
      expect.closeTo(10, 1),
      expect.closeTo(20, 1),
      expect.closeTo(40, 1),
    ]);
  });
});
