import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

const DEV_JWT_SECRET = 'pavilion-local-development-secret-change-me';

/** The environment as Pavilion reads it; validated once at boot. */
class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: '$property must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/pavilion';

  @Matches(/^rediss?:\/\/[^\s]+$/, { message: '$property must be a redis:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT: number = 3001;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: '$property must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_TTL_SECONDS: number = 3600;

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(10, { message: '$property must be at least 10 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: '$property must be an smtp:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM: string = 'Pavilion <no-reply@pavilion.local>';

  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: '$property must be an http(s) URL' })
  PUBLIC_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT: number = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SIGNUP_RATE_LIMIT: number = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  PASSWORD_RESET_RATE_LIMIT: number = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  PASSWORD_RESET_TTL_SECONDS: number = 3600;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property may hold letters, digits, - and _ only' })
  QUEUE_PREFIX: string = 'pavilion';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** `pretty`: one readable line per entry; `json`: one JSON object per line. Unset: pretty in a terminal in development. */
  @IsOptional()
  @IsIn(['pretty', 'json'])
  LOG_FORMAT?: 'pretty' | 'json';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  CHANGE_NOTICE_WINDOW_SECONDS: number = 120;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  REMINDER_SWEEP_SECONDS: number = 60;

  /** A scheduling run's worker renews its lease this often × 3; a run whose lease lapsed is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  SCHEDULING_LEASE_SECONDS: number = 30;

  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  RELAY_INTERVAL_MS: number = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  DELIVERY_ATTEMPTS: number = 6;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600_000)
  DELIVERY_BACKOFF_MS: number = 2000;

  @IsString()
  MAIL_DIR: string = 'var/mail';

  /** Bearer token that /metrics (API and worker) asks for; without it /metrics is not served. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: '$property must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Webhook hosts allowed although they are loopback, private or link-local: names, addresses or CIDR ranges. */
  @IsOptional()
  @IsString()
  WEBHOOK_ALLOW_HOSTS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  CHECKIN_FAILURE_LIMIT: number = 20;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DATABASE_CONNECT_TIMEOUT_MS: number = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  DELIVERY_LEASE_SECONDS: number = 120;

  /** API processes on PORT (Node's cluster); 1 runs the API in the process started. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  API_PROCESSES: number = 1;

  /** Proxies in front of the API: a hop count, or their addresses / CIDR ranges, comma-separated. */
  @IsOptional()
  @Matches(/^(\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    message: '$property must be a hop count or addresses / CIDR ranges, comma-separated',
  })
  TRUST_PROXY?: string;

  /** Messages per second the SMTP relay takes, across all worker processes; unset: no cap. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SMTP_MAX_PER_SECOND?: number;

  /** Under SMTP_MAX_PER_SECOND, how long before its due time a reminder may go out at most. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 3600)
  REMINDER_MAX_EARLY_SECONDS: number = 1800;

  /** Worker processes; 1 runs the worker in the process started. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_PROCESSES: number = 1;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** Typed, validated configuration. Built once by `loadConfig`; injected by class. */
export class AppConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly databaseUrl!: string;
  readonly redisUrl!: string;
  readonly port!: number;
  readonly workerPort!: number;
  readonly apiProcesses!: number;
  readonly workerProcesses!: number;
  /** SMTP_MAX_PER_SECOND: a cap on messages per second held across all worker processes (unset: none). */
  readonly smtpMaxPerSecond?: number;
  /**
   * Under that cap, a large reminder starts early enough that its last letter leaves by the due time, but never
   * more than this (nor a quarter of the reminder's lead) before it.
   */
  readonly reminderMaxEarlyMs!: number;
  /** Fastify's trustProxy: unset trusts no X-Forwarded-For; a hop count or the proxies' addresses trust those. */
  readonly trustProxy!: false | number | string[];
  readonly jwtSecret!: string;
  readonly jwtTtlSeconds!: number;
  readonly admin?: { email: string; password: string };
  readonly smtpUrl?: string;
  readonly mailFrom!: string;
  readonly publicUrl!: string;
  readonly loginRateLimit!: number;
  readonly signupRateLimit!: number;
  /** Password-reset requests per email, and per client address, per hour. */
  readonly passwordResetRateLimit!: number;
  /** How long a password-reset token works. */
  readonly passwordResetTtlMs!: number;
  readonly corsOrigins!: string[];
  readonly queuePrefix!: string;
  readonly logLevel!: string;
  /** Readable log lines (pino-pretty) instead of JSON. */
  readonly logPretty!: boolean;
  /** Edits of one item within this window become one change notice. */
  readonly changeNoticeWindowMs!: number;
  /** How often the backstop looks for due reminders, unsent deliveries and unrelayed outbox rows. */
  readonly reminderSweepMs!: number;
  readonly schedulingLeaseMs!: number;
  readonly relayIntervalMs!: number;
  readonly deliveryAttempts!: number;
  readonly deliveryBackoffMs!: number;
  /** Where emails go as .eml files when SMTP_URL is unset. */
  readonly mailDir!: string;
  readonly metricsToken?: string;
  /** Lower-cased names, addresses and CIDR ranges a webhook may reach although they are not public. */
  readonly webhookAllowHosts!: string[];
  /** Wrong check-in codes one caller may try per item in 15 minutes. */
  readonly checkInFailureLimit!: number;
  /** A webhook receiver that has not answered by then counts as a failed attempt (retried with backoff). */
  readonly webhookTimeoutMs!: number;
  /**
   * How long a request waits for a PostgreSQL connection (a new one, or a free one of the pool) before it is
   * answered 503; bounds every request while PostgreSQL is unreachable.
   */
  readonly databaseConnectTimeoutMs!: number;
  /**
   * A claimed delivery whose outcome was never recorded (the worker died, or PostgreSQL went away after the
   * send) is claimed again after this long; it may then be sent a second time, with the same Message-ID.
   */
  readonly deliveryLeaseMs!: number;
}

/** Ends a process whose start failed: a configuration problem as its one-line message, anything else whole. */
export function exitOnStartFailure(error: unknown): never {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const problems = validateSync(env, { whitelist: false }).map((e) =>
    Object.values(e.constraints ?? {}).join(', '),
  );
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) problems.push('JWT_SECRET is required in production');
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.assign(new AppConfig(), {
    env: env.NODE_ENV as AppConfig['env'],
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    port: env.PORT,
    workerPort: env.WORKER_PORT,
    jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
    jwtTtlSeconds: env.JWT_TTL_SECONDS,
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }
        : undefined,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    loginRateLimit: env.LOGIN_RATE_LIMIT,
    signupRateLimit: env.SIGNUP_RATE_LIMIT,
    passwordResetRateLimit: env.PASSWORD_RESET_RATE_LIMIT,
    passwordResetTtlMs: env.PASSWORD_RESET_TTL_SECONDS * 1000,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    queuePrefix: env.QUEUE_PREFIX,
    logLevel: env.LOG_LEVEL,
    logPretty:
      env.LOG_FORMAT === 'pretty' ||
      (env.LOG_FORMAT === undefined && env.NODE_ENV === 'development' && process.stdout.isTTY === true),
    changeNoticeWindowMs: env.CHANGE_NOTICE_WINDOW_SECONDS * 1000,
    reminderSweepMs: env.REMINDER_SWEEP_SECONDS * 1000,
    schedulingLeaseMs: env.SCHEDULING_LEASE_SECONDS * 1000,
    relayIntervalMs: env.RELAY_INTERVAL_MS,
    deliveryAttempts: env.DELIVERY_ATTEMPTS,
    deliveryBackoffMs: env.DELIVERY_BACKOFF_MS,
    mailDir: env.MAIL_DIR,
    metricsToken: env.METRICS_TOKEN,
    webhookAllowHosts: (env.WEBHOOK_ALLOW_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    checkInFailureLimit: env.CHECKIN_FAILURE_LIMIT,
    webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
    databaseConnectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    deliveryLeaseMs: env.DELIVERY_LEASE_SECONDS * 1000,
    apiProcesses: env.API_PROCESSES,
    workerProcesses: env.WORKER_PROCESSES,
    smtpMaxPerSecond: env.SMTP_MAX_PER_SECOND,
    reminderMaxEarlyMs: env.REMINDER_MAX_EARLY_SECONDS * 1000,
    trustProxy: !env.TRUST_PROXY
      ? false
      : /^\d+$/.test(env.TRUST_PROXY)
        ? Number(env.TRUST_PROXY)
        : env.TRUST_PROXY.split(',').map((a) => a.trim()),
  });
}
