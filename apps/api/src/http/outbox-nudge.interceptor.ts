import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable, tap } from 'rxjs';
import { OutboxNudge } from '@pavilion/notifications';

/** After a successful write, nudges the worker's outbox relay so confirmations go out within a second or two. */
@Injectable()
export class OutboxNudgeInterceptor implements NestInterceptor {
  constructor(private readonly outbox: OutboxNudge) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const method = context.switchToHttp().getRequest<FastifyRequest>().method;
    if (method === 'GET' || method === 'HEAD') return next.handle();
    return next.handle().pipe(tap(() => this.outbox.nudge()));
  }
}
