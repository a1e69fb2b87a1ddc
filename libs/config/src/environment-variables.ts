import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** The environment as Pavilion reads it; validated once at boot. */
export class EnvironmentVariables {
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

  /**
   * In a rush (a relay pass moved many outbox rows a moment ago), the relay waits for a lull in the API's nudges,
   * but never longer than this, before its next pass (OutboxRelay); 0 relays at every nudge.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  OUTBOX_RUSH_HOLD_MS: number = 3000;

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

  /**
   * How long a claim batch that follows a big one waits for the rush's next claims before it starts, in ms
   * (see ClaimBatcher); 0 starts every batch at once.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  CLAIM_GATHER_MS: number = 20;

  /** Worker processes; 1 runs the worker in the process started. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_PROCESSES: number = 1;

  /**
   * The worker's scheduling priority (nice, 0–19): background sends yield the CPU to requests on a shared host.
   * 0 leaves it as started.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(19)
  WORKER_NICE: number = 10;
}
