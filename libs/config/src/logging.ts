import type { TransportSingleOptions } from 'pino';
import { AppConfig } from './app-config';

/** Where pino sends log lines: through pino-pretty when the config asks for readable lines, else JSON to stdout. */
export function logTransport(config: Pick<AppConfig, 'logPretty'>): TransportSingleOptions | undefined {
  return config.logPretty
    ? {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true },
      }
    : undefined;
}

/**
 * One line for a port that is taken, naming the variable that moves it; undefined for any other error.
 * (`EADDRINUSE` from Node's listen.)
 */
export function portInUseMessage(error: unknown, port: number, variable: string): string | undefined {
  return (error as { code?: string })?.code === 'EADDRINUSE'
    ? `Port ${port} is already in use: stop what listens there, or set ${variable} to another port.`
    : undefined;
}
