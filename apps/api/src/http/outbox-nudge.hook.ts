import type { onResponseHookHandler } from 'fastify';
import { OutboxNudge } from '@pavilion/notifications';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After a successful write, nudges the worker's outbox relay so confirmations go out within a second or two.
 * A Fastify hook rather than a Nest interceptor: with any global interceptor, Nest wraps every route's handler in
 * an RxJS pipeline and an AsyncResource, which cost about 5% of the API's CPU in the read benchmark's profile.
 */
export function outboxNudgeHook(outbox: OutboxNudge): onResponseHookHandler {
  return (request, reply, done) => {
    if (!READS.has(request.method) && reply.statusCode < 400) outbox.nudge();
    done();
  };
}
