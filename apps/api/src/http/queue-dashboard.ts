import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { AccountsService, ADMIN_SESSION_COOKIE, readCookie } from '@pavilion/auth';
import { JobQueues } from '@pavilion/notifications';
import { SCHEDULING_QUEUE } from '@pavilion/programmes';
import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@pavilion/core';
import { SESSION_COOKIE } from '../site/site-sessions';
import { sendProblem, toProblem } from './problem-details';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The BullMQ dashboard at /admin/queues, for admins only: a bearer token as on every other route, the admin
 * session cookie that POST /admin/sign-in sets for browsers, or an admin's session on the public site.
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const queues = app.get(JobQueues);
  const accounts = app.get(AccountsService);
  const board = new BullBoardFastifyAdapter();
  createBullBoard({
    queues: [
      new BullMQAdapter(queues.notifications),
      new BullMQAdapter(queues.deliveries),
      // Scheduling runs show their progress here too.
      new BullMQAdapter(app.get<Queue>(getQueueToken(SCHEDULING_QUEUE))),
    ],
    serverAdapter: board,
  });
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  const logger = new Logger('QueueDashboard');

  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request, reply) => {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      const session = readCookie(request.headers.cookie, ADMIN_SESSION_COOKIE);
      // An admin signed in on the public site is let in too: its session cookie holds an access token.
      const siteSession = request.cookies?.[SESSION_COOKIE];
      const actor = match
        ? await accounts.actorForToken(match[1])
        : session
          ? await accounts.actorForAdminSession(session)
          : siteSession
            ? await accounts.actorForToken(siteSession)
            : null;
      const refusal = !actor
        ? new DomainError(
            ErrorCode.Unauthenticated,
            'Sign in as an admin at /admin/sign-in, or send Authorization: Bearer <accessToken>',
          )
        : actor.role !== 'admin'
          ? new DomainError(ErrorCode.Forbidden, 'Only admins may see the queues')
          : null;
      if (refusal) return sendProblem(reply, request, toProblem(refusal, logger));
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
