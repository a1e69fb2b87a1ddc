import type { FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Logger } from 'pino';

/** Query parameters that carry a secret (the personal calendar feed token, the unsubscribe token). */
const SECRET_PARAMS = /([?&](?:token|access_token)=)[^&#]*/gi;

/** A URL as it may be logged: secret-bearing query parameters are replaced by [redacted]. */
export function loggableUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/** What one request's log line says: its id, method, URL (no token in it) and address; never a header. */
function requestLine(request: FastifyRequest, reply: FastifyReply) {
  return {
    req: {
      id: request.id,
      method: request.method,
      url: loggableUrl(request.url),
      remoteAddress: request.ip,
    },
    res: { statusCode: reply.statusCode },
    responseTime: Math.round(reply.elapsedTime),
  };
}

/**
 * One log line per finished request (as pino-http wrote them: "request completed", or "request errored" for a
 * 5xx), built only when the level lets it through. No headers, so no Authorization and no cookies. Requests are
 * logged here rather than by pino-http's middleware, so none goes through Nest's middleware layer (middie) or an
 * AsyncLocalStorage: that pipeline cost about 10% of a registration's CPU in the API. `root` is read at the first
 * request: nestjs-pino sets its root logger when the app initialises, after the hook is added.
 */
export function requestLogHook(root: () => Logger, enabled: boolean): onResponseHookHandler {
  let logger: Logger | undefined;
  return (request, reply, done) => {
    // The line's `req` and `res` are already what may be logged: a child without pino-http's serializers, which
    // expect Node's request and response objects.
    logger ??= root().child({}, { serializers: { req: asIs, res: asIs } });
    if (enabled && logger.isLevelEnabled('info'))
      logger.info(
        requestLine(request, reply),
        reply.statusCode >= 500 ? 'request errored' : 'request completed',
      );
    done();
  };
}

const asIs = <T>(value: T): T => value;
