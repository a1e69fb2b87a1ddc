import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VenuesModule } from '@pavilion/venues';
import { ClosuresService } from './displacement/closures.service';
import { DisplacementRepository } from './displacement/displacement.repository';
import { ItemChecks } from './items/item-checks';
import { ItemWritesRepository } from './items/item-writes.repository';
import { ItemWritesService } from './items/item-writes.service';
import { PlacesService } from './places/places.service';
import { ItemsImportService } from './import/items-import.service';
import { Programme, ProgrammeItem, Speaker } from './programme.entities';
import { ProgrammesRepository } from './programmes.repository';
import { ProgrammesService } from './programmes.service';
import { ItemReadsService } from './reads/item-reads.service';
import { ProgrammeChangelogRepository } from './reads/programme-changelog.repository';
import { ProgrammeReadsRepository } from './reads/programme-reads.repository';
import { ProgrammeSiteService } from './reads/programme-site.service';
import { PublicFreshness } from './reads/public-freshness';
import { SpeakersRepository } from './speakers.repository';
import { SpeakersService } from './speakers.service';

@Module({
  imports: [TypeOrmModule.forFeature([Programme, ProgrammeItem, Speaker]), VenuesModule],
  providers: [
    ProgrammesRepository,
    SpeakersRepository,
    ItemWritesRepository,
    ProgrammeReadsRepository,
    ProgrammeChangelogRepository,
    PublicFreshness,
    ProgrammeSiteService,
    ProgrammesService,
    ItemChecks,
    ItemWritesService,
    ItemReadsService,
    SpeakersService,
    DisplacementRepository,
    ClosuresService,
    PlacesService,
    ItemsImportService,
  ],
  exports: [
    ProgrammesService,
    ItemWritesService,
    ItemReadsService,
    SpeakersService,
    ProgrammesRepository,
    SpeakersRepository,
    ItemWritesRepository,
    ProgrammeReadsRepository,
    ProgrammeSiteService,
    ClosuresService,
    PlacesService,
    ItemsImportService,
  ],
})
export class ProgrammesModule {}
