import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { ProgrammeSiteService } from '@pavilion/programmes';
import { RevalidationMemo } from './revalidation-memo';

const ETAG = '"abc"';

function setUp() {
  let stamp: number | null = 7;
  const site = { freshnessStamp: () => stamp } as unknown as ProgrammeSiteService;
  const memo = new RevalidationMemo(site);
  const request = (headers: Record<string, string> = {}, url = '/programmes/p?day=2026-12-01') =>
    ({ method: 'GET', url, headers: { 'if-none-match': ETAG, ...headers } }) as unknown as FastifyRequest;
  const reply = () => {
    const sent = { code: 0, headers: {} as Record<string, string> };
    const r = {
      header: (k: string, v: string) => ((sent.headers[k] = v), r),
      code: (c: number) => ((sent.code = c), r),
      send: () => r,
    };
    return { sent, reply: r as unknown as FastifyReply };
  };
  return { memo, request, reply, setStamp: (s: number | null) => (stamp = s) };
}

describe('RevalidationMemo', () => {
  it('answers a remembered page 304 with its ETag while the freshness stamp is unchanged', () => {
    const { memo, request, reply } = setUp();
    memo.remember(request(), ETAG, 7);
    const { sent, reply: r } = reply();
    expect(memo.answer(request(), r)).toBe(true);
    expect(sent).toEqual({ code: 304, headers: { etag: ETAG, 'cache-control': 'public, no-cache' } });
  });

  it('sends the request the full way after any write (a new stamp) or with no stamp', () => {
    const { memo, request, reply, setStamp } = setUp();
    memo.remember(request(), ETAG, 7);
    setStamp(8);
    expect(memo.answer(request(), reply().reply)).toBe(false);
    memo.remember(request(), ETAG, null);
    setStamp(null);
    expect(memo.answer(request(), reply().reply)).toBe(false);
  });

  it('never answers another ETag, another URL or language, or a reader with a session cookie', () => {
    const { memo, request, reply } = setUp();
    memo.remember(request(), ETAG, 7);
    expect(memo.answer(request({ 'if-none-match': '"other"' }), reply().reply)).toBe(false);
    expect(memo.answer(request({}, '/programmes/p?day=2026-12-02'), reply().reply)).toBe(false);
    expect(memo.answer(request({ 'accept-language': 'ru' }), reply().reply)).toBe(false);
    expect(memo.answer(request({ cookie: 'a=1; pavilion_session=x' }), reply().reply)).toBe(false);
  });

  it('forgets a page whose default day is today once the venue passes midnight', () => {
    const { memo, request, reply } = setUp();
    const zone = 'Asia/Almaty';
    const midnight = DateTime.now().setZone(zone).startOf('day').plus({ days: 1 }).toMillis();
    memo.remember(request(), ETAG, 7, zone);
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(midnight - 1);
      expect(memo.answer(request(), reply().reply)).toBe(true);
      now.mockReturnValue(midnight);
      expect(memo.answer(request(), reply().reply)).toBe(false);
    } finally {
      now.mockRestore();
    }
  });
});
