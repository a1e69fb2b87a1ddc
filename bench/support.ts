import { Agent, request } from 'node:http';
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

async function fire(job: LoadJob): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const samples: Sample[] = new Array<Sample>(job.tokens.length);
  let next = 0;
  const client = async () => {
    while (next < job.tokens.length) {
      const i = next++;
      const t0 = performance.now();
      try {
        const reply = await call(job.url, 'POST', {}, job.tokens[i], agent);
        samples[i] = { ...reply, ms: performance.now() - t0 };
      } catch (error) {
        samples[i] = { status: 0, text: String(error), ms: performance.now() - t0 };
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, client));
  const elapsedMs = performance.now() - started;
  agent.destroy();
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
