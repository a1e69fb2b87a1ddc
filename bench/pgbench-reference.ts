import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface PgbenchResult {
  tps: number;
  transactions: number;
}

/**
 * PostgreSQL's own single seat-claim rate on this machine: one hot row updated and one row inserted per
 * transaction, `clients` at a time, by pgbench, in a scratch database dropped afterwards. `around` is called
 * right before and after pgbench itself runs (for a CPU meter).
 */
export async function pgbenchSingleClaims(
  adminUrl: string,
  clients: number,
  seconds: number,
  around?: { before(): void; after(): void },
): Promise<PgbenchResult> {
  const name = `pavilion_pgbench_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const dir = mkdtempSync(path.join(tmpdir(), 'pavilion-pgbench-'));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    await db.query(`CREATE TABLE item (id int PRIMARY KEY, confirmed int NOT NULL);
                    INSERT INTO item VALUES (1, 0);
                    CREATE TABLE reg (id bigserial PRIMARY KEY, item int NOT NULL, at timestamptz DEFAULT now());`);
    await db.end();
    const script = path.join(dir, 'claim.sql');
    writeFileSync(
      script,
      'BEGIN;\nUPDATE item SET confirmed = confirmed + 1 WHERE id = 1;\nINSERT INTO reg(item) VALUES (1);\nEND;\n',
    );
    around?.before();
    const out = execFileSync(
      'pgbench',
      ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script, url.toString()],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    around?.after();
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
    const transactions = /number of transactions actually processed: (\d+)/.exec(out);
    if (!tps || !transactions) throw new Error(`pgbench printed no tps:\n${out}`);
    return { tps: Number(tps[1]), transactions: Number(transactions[1]) };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
