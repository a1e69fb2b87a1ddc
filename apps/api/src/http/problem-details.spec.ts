import { Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { toProblem } from './problem-details';

const refusal = (code: string) =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error('refused'), { code }));

describe('toProblem for errors PostgreSQL raises', () => {
  const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;

  it('answers a deadlock or serialization failure that outlived its retries 503, to be tried again', () => {
    for (const code of ['40P01', '40001']) {
      expect(toProblem(refusal(code), logger)).toMatchObject({
        type: 'urn:pavilion:problem:contention',
        status: 503,
      });
    }
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('still answers an unknown refusal 500 with an error id', () => {
    const problem = toProblem(refusal('22012'), logger);
    expect(problem).toMatchObject({ type: 'urn:pavilion:problem:internal', status: 500 });
    expect(problem.errorId).toEqual(expect.any(String));
  });
});
