import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';

const ASK = 'pavilion:metrics-ask';
const ANSWER = 'pavilion:metrics-answer';
const ANSWER_WITHIN_MS = 5_000;

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/**
 * In the supervisor of several processes (runInProcesses): when one of them is scraped, it asks here, and the
 * supervisor gathers every process's registry (prom-client's AggregatorRegistry) into one exposition — counters
 * and histograms summed, each metric by its own aggregator. A scrape through the shared port then sees the whole
 * API or the whole worker, whichever process answers it.
 */
export function aggregateMetricsOfProcesses(): void {
  if (!cluster.isPrimary) return;
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text }),
      (error: Error) => worker.send({ type: ANSWER, id: message.id, error: error.message }),
    );
  });
}

let asked = 0;

/**
 * The metrics a scrape of this process should answer: its own registry when it runs alone; in one of several
 * processes, all of theirs, gathered by the supervisor. `own` names metrics read fresh by the process answering
 * (queue depths come from Redis, the same for every process): they are added as this process has them.
 */
export async function exposition(registry: Registry, own: string[] = []): Promise<string> {
  if (!cluster.isWorker || !process.send) return registry.metrics();
  const id = ++asked;
  const gathered = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error('the supervisor did not answer')), ANSWER_WITHIN_MS);
    const onMessage = (message: Answer) => {
      if (message?.type !== ANSWER || message.id !== id) return;
      settle(message.error ? new Error(message.error) : null, message.text ?? '');
    };
    function settle(error: Error | null, text = '') {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (error) reject(error);
      else resolve(text);
    }
    process.on('message', onMessage);
    process.send?.({ type: ASK, id });
  });
  const fresh = await Promise.all(own.map((name) => registry.getSingleMetricAsString(name)));
  return [gathered.trimEnd(), ...fresh].join('\n') + '\n';
}

/** In each of several processes: the registry the supervisor's AggregatorRegistry collects from this one. */
export function offerToSupervisor(registry: Registry): void {
  if (!cluster.isWorker) return;
  // Constructing one installs prom-client's answer to the supervisor's requests in this process.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries(registry);
}
