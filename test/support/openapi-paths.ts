import { VenueTree } from './world';

/** What the OpenAPI-driven tests fill paths with: a real id of each collection the fixture made. */
export function collectionIds(f: {
  tree: VenueTree;
  programme: { id: string };
  item: { id: string };
  organizer: { organization: { id: string } };
  speaker: { id: string };
}): Record<string, string> {
  return {
    venues: f.tree.venue.id,
    pavilions: f.tree.pavilion.id,
    spaces: f.tree.hall.id,
    programmes: f.programme.id,
    items: f.item.id,
    organizations: f.organizer.organization.id,
    speakers: f.speaker.id,
  };
}

/** An id of no row. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * An OpenAPI path with its parameters filled: `value` (already encoded) for every one when given, else the id
 * of the collection the parameter follows (`/items/{id}`), else an id of no row.
 */
export function fillPath(path: string, ids: Record<string, string>, value?: string): string {
  return path.replace(/(?:\/([a-z0-9-]+))?\/\{[^}]+\}/g, (_m, collection?: string) => {
    const id = value ?? ids[collection ?? ''] ?? UNKNOWN_ID;
    return collection ? `/${collection}/${id}` : `/${id}`;
  });
}
