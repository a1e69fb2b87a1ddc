export * from './venue.entities';
export * from './opening-hours';
export * from './dto/venue.dto';
export * from './venues.service';
export * from './venues.module';
export type { OpeningHoursRow, PlaceScope, UsageCheck } from './venues.repository';
