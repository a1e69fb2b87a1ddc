import { Agent, request } from 'node:http';
import { connect, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface Reply {
  status: number;
  text: string;
}

/** One JSON request over plain HTTP (an empty JSON object when there is no body, as the API's clients send). */
export function call(
  url: string,
  method: string,
  body: unknown = {},
  token?: string,
  agent?: Agent,
): Promise<Reply> {
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The parsed body of a 2xx reply; anything else stops the run with what the API said. */
export async function ok<T>(pending: Promise<Reply>): Promise<T> {
  const reply = await pending;
  if (reply.status < 200 || reply.status >= 300)
    throw new Error(`expected 2xx, got ${reply.status}: ${reply.text}`);
  return JSON.parse(reply.text) as T;
}

export interface LoadJob {
  kind: 'bench-load';
  url: string;
  tokens: string[];
  concurrency: number;
}

/** One request of the run; `status` 0 means it failed below HTTP (the text then holds the error). */
export interface Sample {
  status: number;
  ms: number;
  text: string;
}

export interface LoadResult {
  samples: Sample[];
  elapsedMs: number;
}

/**
 * Sends one POST per token, `concurrency` at a time over keep-alive connections, from a worker thread, so the
 * load generator does not share the API's event loop (it still shares the machine's CPUs).
 */
export function runLoad(job: Omit<LoadJob, 'kind'>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { kind: 'bench-load', ...job } satisfies LoadJob });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

/**
 * One keep-alive HTTP/1.1 connection that sends prebuilt requests and reads each reply by its content-length:
 * the load generator shares the machine's two cores with the product, so it should cost as little as pgbench's
 * C client does (Node's http client cost about 0.45 ms of CPU a request here, a third of a registration).
 */
class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting?: { resolve: (reply: Reply) => void; reject: (error: Error) => void };

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static open(url: URL): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(request: Buffer): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headEnd);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    const end = headEnd + 4 + length;
    if (this.buffered.length < end) return;
    const reply = {
      status: Number(head.slice(9, 12)),
      text: this.buffered.toString('utf8', headEnd + 4, end),
    };
    this.buffered = this.buffered.subarray(end);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(reply);
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}

async function fire(job: LoadJob): Promise<LoadResult> {
  const url = new URL(job.url);
  const body = '{}';
  const requests = job.tokens.map((token) =>
    Buffer.from(
      `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nAuthorization: Bearer ${token}\r\n\r\n${body}`,
      'latin1',
    ),
  );
  const connections = await Promise.all(
    Array.from({ length: Math.min(job.concurrency, requests.length) }, () => RawConnection.open(url)),
  );
  const samples: Sample[] = new Array<Sample>(requests.length);
  let next = 0;
  const client = async (connection: RawConnection) => {
    while (next < requests.length) {
      const i = next++;
      const t0 = performance.now();
      try {
        const reply = await connection.send(requests[i]);
        samples[i] = { ...reply, ms: performance.now() - t0 };
      } catch (error) {
        samples[i] = { status: 0, text: String(error), ms: performance.now() - t0 };
      }
    }
  };
  const started = performance.now();
  await Promise.all(connections.map(client));
  const elapsedMs = performance.now() - started;
  for (const connection of connections) connection.close();
  return { samples, elapsedMs };
}

/** The q-quantile (0..1) of ascending-sorted values, nearest rank. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const job = workerData as LoadJob | undefined;
if (!isMainThread && job?.kind === 'bench-load') {
  void fire(job).then((result) => parentPort?.postMessage(result));
}
