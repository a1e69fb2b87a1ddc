import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Actor } from '@pavilion/core';

export type OwnedResource = 'programme' | 'item' | 'organization' | 'scheduling-run';

/** Who may call a route. Every route declares exactly one; the guard refuses routes that do not. */
export type Policy =
  | { kind: 'public' }
  | { kind: 'metrics' }
  | { kind: 'signed-in' }
  | { kind: 'admin' }
  | { kind: 'organizer' }
  | {
      kind: 'owner';
      resource: OwnedResource;
      source: 'param' | 'body';
      key: string;
      /** The organization's check-in staff pass too. */
      checkers?: boolean;
    };

export const POLICY = 'pavilion:policy';

const describe = (policy: Policy): string =>
  policy.kind === 'owner'
    ? `organizer${policy.checkers ? ' or check-in staff' : ''} of the ${policy.resource === 'organization' ? 'organization' : `${policy.resource}'s organization`}, or admin`
    : policy.kind === 'organizer'
      ? 'organizer or admin'
      : policy.kind;

function declare(policy: Policy) {
  const decorators = [SetMetadata(POLICY, policy), ApiExtension('x-pavilion-access', describe(policy))];
  if (policy.kind !== 'public' && policy.kind !== 'metrics') decorators.push(ApiBearerAuth());
  return applyDecorators(...decorators);
}

export const Access = {
  /** Anyone, signed in or not. A token, if sent, must still be valid. */
  public: () => declare({ kind: 'public' }),
  /** Scrapers: the bearer is METRICS_TOKEN, not a user's access token; the route checks it itself. */
  metrics: () => declare({ kind: 'metrics' }),
  signedIn: () => declare({ kind: 'signed-in' }),
  admin: () => declare({ kind: 'admin' }),
  organizer: () => declare({ kind: 'organizer' }),
  /** An organizer of the organization owning the resource named by a path parameter, or an admin. */
  ownerOf: (resource: OwnedResource, param = 'id') =>
    applyDecorators(
      declare({ kind: 'owner', resource, source: 'param', key: param }),
      ApiParam({ name: param, format: 'uuid' }),
    ),
  /** Checking people in: the item's organizers, its organization's check-in staff, or an admin. */
  checkInFor: (resource: 'item', param = 'id') =>
    applyDecorators(
      declare({ kind: 'owner', resource, source: 'param', key: param, checkers: true }),
      ApiParam({ name: param, format: 'uuid' }),
    ),
  /** The same, with the organization id taken from a body field. */
  ownerOfBodyOrganization: (field = 'organizationId') =>
    declare({ kind: 'owner', resource: 'organization', source: 'body', key: field }),
};

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor | null;
  }
}

/** The caller, or null when anonymous (only reachable on public routes). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor | null => {
  return ctx.switchToHttp().getRequest<FastifyRequest>().actor ?? null;
});

/** The caller on routes whose policy requires sign-in. */
export const SignedInActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<FastifyRequest>().actor as Actor;
});
