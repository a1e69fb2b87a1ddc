import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { DateTime } from 'luxon';
import { LruCache } from '@pavilion/core';
import { ProgrammeSiteService } from '@pavilion/programmes';
import { etagMatches, PUBLIC_REVALIDATE } from '../http/conditional';
import { SESSION_COOKIE } from './site-sessions';

interface Remembered {
  etag: string;
  /** The freshness stamp taken before the page read what its ETag digests. */
  stamp: number;
  /** Epoch ms after which the page's inputs may differ without any write (its default day moves at midnight). */
  until: number;
}

const KEPT = 5_000;

/**
 * Revalidations answered before routing. When a public page has worked out its ETag, it is remembered under the
 * request's URL and Accept-Language with the freshness stamp taken before the page read anything. The same
 * request with that ETag in If-None-Match, while the stamp is unchanged (nothing public was written since,
 * see PublicFreshness) and before `until`, is answered 304 from a Fastify onRequest hook: no router, guard, pipe
 * or page work. Anything else — a signed-in reader, a new stamp, an unknown URL — takes the full way, which
 * answers the same.
 */
@Injectable()
export class RevalidationMemo {
  private readonly pages = new LruCache<Remembered>(KEPT);

  constructor(private readonly site: ProgrammeSiteService) {}

  /** The stamp to take before reading; pass it to remember(). */
  stamp(): number | null {
    return this.site.freshnessStamp();
  }

  /** Remembers a public page's ETag; `todayIn` names the venue zone when the page depends on today's date. */
  remember(req: FastifyRequest, etag: string, stamp: number | null, todayIn?: string): void {
    if (stamp === null || req.method !== 'GET') return;
    const until = todayIn
      ? DateTime.now().setZone(todayIn).startOf('day').plus({ days: 1 }).toMillis()
      : Number.POSITIVE_INFINITY;
    this.pages.set(keyOf(req), { etag, stamp, until });
  }

  /** The onRequest hook: true when it answered. */
  answer(req: FastifyRequest, reply: FastifyReply): boolean {
    const match = req.headers['if-none-match'];
    if (!match || req.method !== 'GET' || signedIn(req)) return false;
    const page = this.pages.get(keyOf(req));
    if (!page || page.stamp !== this.site.freshnessStamp() || Date.now() >= page.until) return false;
    if (!etagMatches(match, page.etag)) return false;
    reply.header('etag', page.etag).header('cache-control', PUBLIC_REVALIDATE).code(304).send();
    return true;
  }

  hook(): onRequestHookHandler {
    return (req, reply, done) => {
      if (!this.answer(req, reply)) done();
    };
  }
}

function keyOf(req: FastifyRequest): string {
  return `${req.url}\n${req.headers['accept-language'] ?? ''}`;
}

/** A session cookie (valid or not) sends the reader the full way: their pages are private. */
function signedIn(req: FastifyRequest): boolean {
  const cookie = req.headers.cookie;
  return cookie !== undefined && cookie.includes(`${SESSION_COOKIE}=`);
}
