export const ROLES = ['admin', 'organizer', 'attendee'] as const;
export type Role = (typeof ROLES)[number];

/** Who is making a request, as the libs need to know it. `null` is an anonymous caller. */
export interface Actor {
  userId: string;
  role: Role;
  organizationIds: string[];
  /** Organizations for whose items this person may only check people in (check-in staff). */
  checksFor?: string[];
}

/** Organizers and admins check people in; so do the organization's check-in staff. */
export function checksInFor(actor: Actor | null, organizationId: string): boolean {
  return actsFor(actor, organizationId) || !!actor?.checksFor?.includes(organizationId);
}

/** Admins act on everything; organizers on what their organizations own. */
export function actsFor(actor: Actor | null, organizationId: string): boolean {
  return !!actor && (actor.role === 'admin' || actor.organizationIds.includes(organizationId));
}
