import type { Options } from 'pino-http';

/** Query parameters that carry a secret (the personal calendar feed token, the unsubscribe token). */
const SECRET_PARAMS = /([?&](?:token|access_token)=)[^&#]*/gi;

/** A URL as it may be logged: secret-bearing query parameters are replaced by [redacted]. */
export function loggableUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/**
 * What every request log line shows: the request's id, method, URL (no token in it) and address, and the
 * response's status; never a header, so no Authorization and no cookies (sent or set). pino-http serializes a
 * request's bindings when the request arrives, whether or not its line is then written (a level above info, or
 * no auto-logging, drops it): keeping them to these few fields makes that cheap, with no redaction pass.
 */
export function requestLogging(level: string, autoLogging: boolean): Options {
  return {
    level,
    autoLogging,
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: typeof req.url === 'string' ? loggableUrl(req.url) : req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
