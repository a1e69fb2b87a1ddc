import type { Options } from 'pino-http';

/** Query parameters that carry a secret (the personal calendar feed token, the unsubscribe token). */
const SECRET_PARAMS = /([?&](?:token|access_token)=)[^&#]*/gi;

/** A URL as it may be logged: secret-bearing query parameters are replaced by [redacted]. */
export function loggableUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/**
 * What every request log line may show: no Authorization header, no cookies (sent or set), no token in the
 * URL. pino's `redact` removes the headers; the request serializer rewrites the URL.
 */
export function requestLogging(level: string, autoLogging: boolean): Options {
  return {
    level,
    autoLogging,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { url?: string }) => {
        if (typeof req.url === 'string') req.url = loggableUrl(req.url);
        return req;
      },
    },
  };
}
