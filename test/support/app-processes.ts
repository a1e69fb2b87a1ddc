import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { until } from './smtp-sink';
import { exited } from './worker-process';

/** The API as production runs it (global-setup builds dist/ first). */
export const API_MAIN = path.join(__dirname, '../../dist/apps/api/src/main.js');

/** A port free at the moment of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** The processes a supervisor forked (Linux: /proc/<pid>/task/<pid>/children). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The nice value of each thread of a process (Linux keeps one per thread). */
export function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) =>
    Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]),
  );
}

/** CPU time a process has used so far, in clock ticks (user + system). */
export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export interface PlainResponse {
  status: number;
  body: any;
}

/**
 * One request on a connection of its own (no keep-alive), so a cluster's round-robin hands consecutive
 * requests to different processes. Rejects on a transport error (a process killed mid-request).
 */
export function freshRequest(
  method: string,
  url: string,
  token?: string,
  body: unknown = method === 'POST' ? {} : undefined,
): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(token && { authorization: `Bearer ${token}` }),
          ...(payload && {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = /json/.test(res.headers['content-type'] ?? '');
          resolve({ status: res.statusCode ?? 0, body: text && json ? JSON.parse(text) : text || undefined });
        });
      },
    );
    req.on('error', reject);
    // A connection the cluster handed to a process that was dying gets no answer: it must not hang the caller.
    req.setTimeout(3_000, () => req.destroy(new Error(`no answer from ${url} in 3 s`)));
    req.end(payload);
  });
}

/** An API supervisor with API_PROCESSES processes on a port of its own, started as `npm start` starts it. */
export class ApiProcesses {
  private constructor(
    readonly supervisor: ChildProcess,
    readonly baseUrl: string,
  ) {}

  static async start(env: Record<string, string>, processes: number): Promise<ApiProcesses> {
    const port = await freePort();
    const supervisor = spawn(process.execPath, [API_MAIN], {
      env: {
        ...process.env,
        ...env,
        API_PROCESSES: String(processes),
        PORT: String(port),
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    const api = new ApiProcesses(supervisor, `http://127.0.0.1:${port}`);
    await until(
      async () => {
        const live = await freshRequest('GET', `${api.baseUrl}/health/live`).catch(() => undefined);
        return live?.status === 200 && api.pids().length === processes ? true : undefined;
      },
      30_000,
      `${processes} API processes to listen`,
    );
    return api;
  }

  pids(): number[] {
    return childPids(this.supervisor.pid as number);
  }

  /** SIGTERM to the supervisor, which passes it on and exits once its processes have. */
  async stop(): Promise<void> {
    if (this.supervisor.exitCode === null && this.supervisor.signalCode === null)
      this.supervisor.kill('SIGTERM');
    await exited(this.supervisor);
  }
}
