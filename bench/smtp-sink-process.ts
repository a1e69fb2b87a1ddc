/**
 * An SMTP server that only counts what it receives, run as a process of its own (`fork`), so the benchmarks'
 * mail sink does not share an event loop with the worker or the load generator. It tells its parent its port,
 * then answers every 'count' message with the number of messages and recipients received so far.
 */
import { SMTPServer } from 'smtp-server';

export interface SinkCount {
  messages: number;
  recipients: number;
  firstAt: number | null;
  lastAt: number | null;
}

const count: SinkCount = { messages: 0, recipients: 0, firstAt: null, lastAt: null };
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
      count.firstAt ??= now;
      count.lastAt = now;
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as { port: number };
  process.send?.({ port });
});
process.on('message', (message) => {
  if (message === 'count') process.send?.({ count });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
