import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AccountsService, OrganizationsService } from '@pavilion/auth';
import { Actor, actsFor, checksInFor, DomainError, ErrorCode } from '@pavilion/core';
import { ItemReadsService, Programme, ProgrammesService, SchedulingRunsService } from '@pavilion/programmes';
import { OwnedResource, Policy, POLICY } from './policy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Authenticates the bearer token (if any) and enforces the route's declared policy. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
    private readonly organizations: OrganizationsService,
    private readonly programmes: ProgrammesService,
    private readonly items: ItemReadsService,
    private readonly schedulingRuns: SchedulingRunsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<Policy | undefined>(POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy)
      throw new Error(
        `Route ${context.getClass().name}.${context.getHandler().name} declares no access policy`,
      );
    if (policy.kind === 'metrics') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const actor = await this.authenticate(request);
    request.actor = actor;

    if (policy.kind === 'public') return true;
    if (!actor)
      throw new DomainError(ErrorCode.Unauthenticated, 'Sign in: send Authorization: Bearer <accessToken>');
    switch (policy.kind) {
      case 'signed-in':
        return true;
      case 'admin':
        return actor.role === 'admin' || forbid('Only the pavilion operator (admin) may do this');
      case 'organizer':
        return actor.role !== 'attendee' || forbid('Only organizers and admins may do this');
      case 'owner': {
        const raw =
          policy.source === 'param'
            ? (request.params as Record<string, unknown>)[policy.key]
            : (request.body as Record<string, unknown> | undefined)?.[policy.key];
        if (actor.role === 'admin') return true;
        if (typeof raw !== 'string' || !UUID.test(raw)) {
          if (policy.source === 'param') throw DomainError.invalid(policy.key, 'must be a UUID');
          return forbid('Only organizers of that organization may do this');
        }
        return this.ownsResource(actor, policy.resource, raw, policy.checkers === true);
      }
    }
  }

  private async authenticate(request: FastifyRequest): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (header === undefined) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await this.accounts.actorForToken(match[1]) : null;
    if (!actor) throw new DomainError(ErrorCode.Unauthenticated, 'The access token is invalid or expired');
    return actor;
  }

  private async ownsResource(
    actor: Actor,
    resource: OwnedResource,
    id: string,
    checkers: boolean,
  ): Promise<boolean> {
    if (resource === 'organization') {
      await this.organizations.get(id);
      return actsFor(actor, id) || forbid('Only organizers of that organization may do this');
    }
    const programme: Programme =
      resource === 'programme'
        ? await this.programmes.requireProgramme(id)
        : resource === 'item'
          ? await this.items.ownerOf(id)
          : await this.schedulingRuns.programmeOf(id);
    if (actsFor(actor, programme.organizationId)) return true;
    if (checkers && checksInFor(actor, programme.organizationId)) return true;
    // A draft is hidden from everyone but its owners, and a run from everyone but them: do not confirm either exists.
    if (resource === 'scheduling-run') throw DomainError.notFound('Scheduling run');
    if (programme.status !== 'published')
      throw DomainError.notFound(resource === 'programme' ? 'Programme' : 'Item');
    return forbid(`Only organizers of the organization that owns this ${resource} may do this`);
  }
}

function forbid(message: string): never {
  throw new DomainError(ErrorCode.Forbidden, message);
}
