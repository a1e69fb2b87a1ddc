import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VenuesModule } from '@pavilion/venues';
import { ClosuresService } from './displacement/closures.service';
import { DisplacementRepository } from './displacement/displacement.repository';
import { ItemsService } from './items.service';
import { PlacesService } from './places/places.service';
import { ItemsImportService } from './import/items-import.service';
import { Programme, ProgrammeItem, Speaker } from './programme.entities';
import { ProgrammesRepository } from './programmes.repository';
import { ProgrammesService } from './programmes.service';
import { ProgrammeReadsRepository } from './reads/programme-reads.repository';
import { ProgrammeSiteService } from './reads/programme-site.service';
import { PublicFreshness } from './reads/public-freshness';
import { SpeakersService } from './speakers.service';

@Module({
  imports: [TypeOrmModule.forFeature([Programme, ProgrammeItem, Speaker]), VenuesModule],
  providers: [
    ProgrammesRepository,
    ProgrammeReadsRepository,
    PublicFreshness,
    ProgrammeSiteService,
    ProgrammesService,
    ItemsService,
    SpeakersService,
    DisplacementRepository,
    ClosuresService,
    PlacesService,
    ItemsImportService,
  ],
  exports: [
    ProgrammesService,
    ItemsService,
    SpeakersService,
    ProgrammesRepository,
    ProgrammeReadsRepository,
    ProgrammeSiteService,
    ClosuresService,
    PlacesService,
    ItemsImportService,
  ],
})
export class ProgrammesModule {}
