export const ROLES = ['admin', 'organizer', 'attendee'] as const;
export type Role = (typeof ROLES)[number];

/** Who is making a request, as the libs need to know it. `null` is an anonymous caller. */
export interface Actor {
  userId: string;
  role: Role;
  organizationIds: string[];
}

/** Admins act on everything; organizers on what their organizations own. */
export function actsFor(actor: Actor | null, organizationId: string): boolean {
  return !!actor && (actor.role === 'admin' || actor.organizationIds.includes(organizationId));
}
