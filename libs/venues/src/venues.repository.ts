import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OpeningHours, Pavilion, Space, SpaceInVenue, Venue } from './venue.entities';

/** The venues lib's only door to PostgreSQL. */
@Injectable()
export class VenuesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  createVenue(venue: Omit<Venue, 'id' | 'createdAt'>): Promise<Venue> {
    return this.db.getRepository(Venue).save(this.db.getRepository(Venue).create(venue));
  }

  listVenues(limit: number, after?: { name: string; id: string }): Promise<Venue[]> {
    const qb = this.db
      .getRepository(Venue)
      .createQueryBuilder('v')
      .orderBy('v.name')
      .addOrderBy('v.id')
      .limit(limit);
    if (after) qb.where('(v.name, v.id) > (:name, :id)', after);
    return qb.getMany();
  }

  findVenue(id: string): Promise<Venue | null> {
    return this.db.getRepository(Venue).findOneBy({ id });
  }

  findPavilion(id: string): Promise<Pavilion | null> {
    return this.db.getRepository(Pavilion).findOneBy({ id });
  }

  openingHours(pavilionId: string): Promise<OpeningHours[]> {
    return this.db.getRepository(OpeningHours).find({
      where: { pavilionId },
      order: { onDate: 'ASC', weekday: 'ASC', opensMinute: 'ASC' },
    });
  }

  /** Writes the pavilion and all its opening hours in one transaction. */
  createPavilion(
    pavilion: Omit<Pavilion, 'id' | 'createdAt'>,
    hours: Omit<OpeningHours, 'id' | 'pavilionId'>[],
  ): Promise<{ pavilion: Pavilion; hours: OpeningHours[] }> {
    return this.db.transaction(async (tx) => {
      const saved = await tx.getRepository(Pavilion).save(tx.getRepository(Pavilion).create(pavilion));
      const rows = await tx
        .getRepository(OpeningHours)
        .save(hours.map((h) => tx.getRepository(OpeningHours).create({ ...h, pavilionId: saved.id })));
      return { pavilion: saved, hours: rows };
    });
  }

  createSpace(space: Omit<Space, 'id' | 'createdAt'>): Promise<Space> {
    return this.db.getRepository(Space).save(this.db.getRepository(Space).create(space));
  }

  listSpaces(pavilionId: string): Promise<Space[]> {
    return this.db.getRepository(Space).find({ where: { pavilionId }, order: { name: 'ASC' } });
  }

  async findSpaceInVenue(spaceId: string): Promise<SpaceInVenue | null> {
    const space = await this.db.getRepository(Space).findOneBy({ id: spaceId });
    if (!space) return null;
    const pavilion = await this.db.getRepository(Pavilion).findOneByOrFail({ id: space.pavilionId });
    const venue = await this.db.getRepository(Venue).findOneByOrFail({ id: pavilion.venueId });
    return { space, pavilion, venue };
  }
}
