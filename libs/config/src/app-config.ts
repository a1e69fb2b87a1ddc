import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './environment-variables';

const DEV_JWT_SECRET = 'pavilion-local-development-secret-change-me';

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
  /** CLAIM_GATHER_MS: the longest a claim batch after a big one waits for more claims (0: never waits). */
  readonly claimGatherMs!: number;
  /** WORKER_NICE: the nice value the worker process takes at start (0: unchanged). */
  readonly workerNice!: number;
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
  /** OUTBOX_RUSH_HOLD_MS: in a rush, the longest the relay waits for a lull in the nudges (0: never waits). */
  readonly outboxRushHoldMs!: number;
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
    outboxRushHoldMs: env.OUTBOX_RUSH_HOLD_MS,
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
    workerNice: env.WORKER_NICE,
    claimGatherMs: env.CLAIM_GATHER_MS,
    smtpMaxPerSecond: env.SMTP_MAX_PER_SECOND,
    reminderMaxEarlyMs: env.REMINDER_MAX_EARLY_SECONDS * 1000,
    trustProxy: !env.TRUST_PROXY
      ? false
      : /^\d+$/.test(env.TRUST_PROXY)
        ? Number(env.TRUST_PROXY)
        : env.TRUST_PROXY.split(',').map((a) => a.trim()),
  });
}
