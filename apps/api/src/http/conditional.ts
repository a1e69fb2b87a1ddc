import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const PUBLIC_REVALIDATE = 'public, no-cache';
export const PRIVATE_REVALIDATE = 'private, no-cache';

/** The ETag of a response: a digest of everything it depends on, so it changes whenever the body could. */
export function etagOf(parts: readonly unknown[]): string {
  return `"${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27)}"`;
}

/**
 * Conditional GET before any rendering: the ETag is a digest of everything the response depends on (the
 * programme's fingerprint, the resolved language and day, the query), so it changes whenever the body could.
 * Sets ETag and Cache-Control; answers 304 and returns true when the client's copy is current.
 */
export function notModified(
  request: FastifyRequest,
  reply: FastifyReply,
  parts: readonly unknown[],
  cacheControl: string = PUBLIC_REVALIDATE,
): boolean {
  return answerIfCurrent(request, reply, etagOf(parts), cacheControl);
}

/** notModified for an ETag already worked out. */
export function answerIfCurrent(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  cacheControl: string = PUBLIC_REVALIDATE,
): boolean {
  reply.header('etag', etag).header('cache-control', cacheControl);
  const match = request.headers['if-none-match'];
  if (match && etagMatches(match, etag)) {
    reply.code(304).send();
    return true;
  }
  return false;
}

/** If-None-Match's weak comparison (RFC 9110 §13.1.2): any listed tag, or `*`. */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
