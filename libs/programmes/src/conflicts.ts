import { Conflict, formatVenueInstant } from '@pavilion/core';
import { ConflictRow } from './items/item-writes.repository';

/** A row in the way as the API names it: an item (space or speaker), or a closure of the space. */
export function toConflict(r: ConflictRow, zone = r.timezone): Conflict {
  const at = { startsAt: formatVenueInstant(r.starts_at, zone), endsAt: formatVenueInstant(r.ends_at, zone) };
  if (r.kind === 'closure')
    return { closureId: r.item_id, title: r.title, ...at, reason: `${r.what} is closed then` };
  return {
    itemId: r.item_id,
    title: r.title,
    ...at,
    reason: r.kind === 'space' ? `${r.what} is booked then` : `speaker ${r.what} is in this item then`,
  };
}
