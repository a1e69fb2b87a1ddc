import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Conflict, DomainError, ErrorCode, FieldError } from '@pavilion/core';
import { isServiceUnavailable, isTransientConflict } from '@pavilion/database';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  conflicts?: Conflict[];
  errorId?: string;
}

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.InvalidWallTime]: 400,
  [ErrorCode.InvalidTimeRange]: 400,
  [ErrorCode.OutsideProgrammeDates]: 400,
  [ErrorCode.OutsideOpeningHours]: 400,
  [ErrorCode.CapacityExceedsSpace]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.SpaceDoubleBooked]: 409,
  [ErrorCode.SpaceClosed]: 409,
  [ErrorCode.SpeakerDoubleBooked]: 409,
  [ErrorCode.StateConflict]: 409,
  [ErrorCode.Duplicate]: 409,
  [ErrorCode.AlreadyRegistered]: 409,
  [ErrorCode.RegistrationClosed]: 409,
  [ErrorCode.RegistrationOverlap]: 409,
  [ErrorCode.AlreadyCheckedIn]: 409,
  [ErrorCode.RateLimited]: 429,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** The HTTP status a domain error is answered with. */
export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

const problemType = (code: string) => `urn:pavilion:problem:${code}`;

/**
 * Turns anything thrown while serving a request into RFC 9457 problem details. An unexpected error is logged with
 * the request's id, which its request log line carries too.
 */
export function toProblem(error: unknown, logger: Logger, requestId?: string): ProblemDetails {
  if (error instanceof DomainError) {
    const status = STATUS[error.code];
    return {
      type: problemType(error.code),
      title: TITLES[status],
      status,
      detail: error.message,
      ...error.details,
    };
  }
  if (error instanceof ThrottlerException) {
    return {
      type: problemType(ErrorCode.RateLimited),
      title: TITLES[429],
      status: 429,
      detail: 'Too many requests; try again later',
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      type: problemType(`http-${status}`),
      title: TITLES[status] ?? 'Error',
      status,
      detail: error.message,
    };
  }
  const fastifyStatus = (error as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return {
      type: problemType(`http-${fastifyStatus}`),
      title: TITLES[fastifyStatus] ?? 'Bad request',
      status: fastifyStatus,
      detail: (error as Error).message,
    };
  }
  if (isServiceUnavailable(error)) {
    logger.warn(`A backing service is unreachable: ${(error as Error).message}`);
    return {
      type: problemType('unavailable'),
      title: TITLES[503],
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'A service Pavilion depends on is unreachable for a moment; try again shortly',
    };
  }
  if (isTransientConflict(error)) {
    // What the retrying data source gave up on after its attempts, or a single statement PostgreSQL aborted.
    logger.warn(`A write kept meeting concurrent writes: ${(error as Error).message}`);
    return {
      type: problemType('contention'),
      title: TITLES[503],
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'Too many changes met on the same data at once; try again shortly',
    };
  }
  const errorId = randomUUID();
  logger.error({ err: error, errorId, reqId: requestId }, 'Unhandled error');
  return {
    type: problemType('internal'),
    title: TITLES[500],
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: `Something went wrong on our side; quote error id ${errorId}`,
    errorId,
  };
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemDetails): void {
  if (problem.status === 429) reply.header('retry-after', '60');
  if (problem.status === 503) reply.header('retry-after', '5');
  reply
    .status(problem.status)
    .header('content-type', 'application/problem+json')
    .send({ ...problem, instance: request.url });
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(http.getResponse<FastifyReply>(), request, toProblem(error, this.logger, request.id));
  }
}
