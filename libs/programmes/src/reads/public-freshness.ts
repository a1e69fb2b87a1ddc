import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { AppConfig } from '@pavilion/config';

/** The channel the database notifies at commit of every write to what public pages show (see the migration). */
export const PUBLIC_CHANNEL = 'pavilion_public';
/** Kept values are dropped this often even without a notification: a bound on staleness if one is ever lost. */
const RECHECK_MS = 5_000;
const RECONNECT_MS = 1_000;
/** Statements after which this process's own write may have committed. */
const WRITES = new Set(['COMMIT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE']);

/**
 * Values read from PostgreSQL (programme headers with their fingerprints) kept in process memory for as long as
 * nothing they depend on can have changed, so a revalidation (304) costs no query.
 *
 * Everything kept is dropped at once (one generation counter) when:
 * - the database notifies `pavilion_public` — sent at commit by statement triggers on programmes and items
 *   (`programmes_notify`, `programme_items_notify`: `notify_public_change`), which speakers, spaces, pavilions
 *   and venues reach through their revision bumps; one LISTEN connection per process;
 * - this process itself finishes a write (a TypeORM `afterQuery` hook): its own requests never see a value from
 *   before their write, whichever of the commit's reply and its notification arrives first;
 * - the LISTEN connection is down (nothing is kept until it is back), and every RECHECK_MS as a fallback.
 * A value read while any of these happened is used for that request but not kept.
 */
@Injectable()
export class PublicFreshness implements OnModuleDestroy {
  private readonly log = new Logger(PublicFreshness.name);
  private readonly kept = new Map<string, { generation: number; value: Promise<unknown> }>();
  private generation = 0;
  private listener: Client | null = null;
  private listening = false;
  private starting = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {
    const freshness = this as PublicFreshness;
    const hook: EntitySubscriberInterface = {
      afterQuery(event: AfterQueryEvent<unknown>) {
        const command = (event.rawResults as { command?: string } | undefined)?.command;
        if (command === undefined || WRITES.has(command)) freshness.invalidate();
      },
    };
    // Registered at run time: DataSource options are built before any lib is.
    (db.subscribers as EntitySubscriberInterface[]).push(hook);
  }

  /** The kept value for key, or load() — kept only if nothing could have changed while it was read. */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.listening) {
      this.start();
      return load();
    }
    const entry = this.kept.get(key);
    if (entry && entry.generation === this.generation) return entry.value as Promise<T>;
    const generation = this.generation;
    const value = load();
    this.kept.set(key, { generation, value });
    value.catch(() => this.kept.delete(key));
    return value;
  }

  /**
   * The generation values are kept under, or null while nothing is kept (not listening). Something derived from
   * kept values before a stamp was taken stays true for as long as the stamp is the same.
   */
  stamp(): number | null {
    return this.listening ? this.generation : null;
  }

  /** Drops everything kept (a write of this process, a notification, the fallback tick). */
  invalidate(): void {
    this.generation += 1;
    if (this.kept.size > 1000) this.kept.clear();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.stopListening();
    if (this.reconnect) clearTimeout(this.reconnect);
  }

  private start(): void {
    if (this.starting || this.closed) return;
    this.starting = true;
    void this.listen().finally(() => (this.starting = false));
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl });
    client.on('notification', () => this.invalidate());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      this.listener = client;
      await client.connect();
      await client.query(`LISTEN ${PUBLIC_CHANNEL}`);
      if (this.closed || this.listener !== client) return;
      // Anything read before LISTEN took effect may already be stale.
      this.invalidate();
      this.listening = true;
      this.timer = setInterval(() => this.invalidate(), RECHECK_MS);
      this.timer.unref();
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: Client, error?: Error): void {
    if (this.listener !== client) return;
    if (error && !this.closed) this.log.warn(`public freshness listener lost: ${error.message}`);
    this.stopListening();
    if (this.closed) return;
    this.reconnect = setTimeout(() => this.start(), RECONNECT_MS);
    this.reconnect.unref();
  }

  private stopListening(): void {
    this.listening = false;
    this.invalidate();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const client = this.listener;
    this.listener = null;
    client?.removeAllListeners('notification');
    client?.on('error', () => undefined);
    void client?.end().catch(() => undefined);
  }
}
