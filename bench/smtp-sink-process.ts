/**
 * An SMTP server that only counts what it receives, run as a process of its own (`fork`), so a benchmark's mail
 * sink does not share an event loop with the worker or the load generator. It tells its parent its port, then
 * answers 'count' with the messages received so far, 'summary' with the arrival rate and per-recipient counts,
 * and 'reset' by forgetting everything received.
 */
import { SMTPServer } from 'smtp-server';

export interface SinkCount {
  messages: number;
  recipients: number;
  firstAt: number | null;
  lastAt: number | null;
}

export interface SinkSummary extends SinkCount {
  /** Messages per second between the first and the last arrival. */
  rate: number;
  distinctRecipients: number;
  /** Messages beyond the first to the same recipient. */
  duplicates: number;
}

const count: SinkCount = { messages: 0, recipients: 0, firstAt: null, lastAt: null };
let perRecipient = new Map<string, number>();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  disableReverseLookup: true,
  logger: false,
  onData(stream, session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      const now = Date.now();
      count.messages += 1;
      count.recipients += session.envelope.rcptTo.length;
      for (const r of session.envelope.rcptTo)
        perRecipient.set(r.address, (perRecipient.get(r.address) ?? 0) + 1);
      count.firstAt ??= now;
      count.lastAt = now;
      callback();
    });
  },
});

function summary(): SinkSummary {
  const span = ((count.lastAt ?? 0) - (count.firstAt ?? 0)) / 1000;
  let duplicates = 0;
  for (const n of perRecipient.values()) duplicates += n - 1;
  return {
    ...count,
    rate: count.messages / Math.max(0.001, span),
    distinctRecipients: perRecipient.size,
    duplicates,
  };
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as { port: number };
  process.send?.({ port });
});
process.on('message', (message) => {
  if (message === 'count') process.send?.({ count });
  else if (message === 'summary') process.send?.({ summary: summary() });
  else if (message === 'reset') {
    Object.assign(count, { messages: 0, recipients: 0, firstAt: null, lastAt: null });
    perRecipient = new Map();
    process.send?.({ reset: true });
  }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
