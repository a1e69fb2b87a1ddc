import { Module } from '@nestjs/common';
import { ProgrammesModule } from '@pavilion/programmes';
import { VenuesModule } from '@pavilion/venues';
import { CalendarsService } from './calendars.service';
import { CheckInAttempts } from './check-in-attempts';
import { ClaimBatcher } from './claim-batcher';
import { FavouritesRepository } from './favourites.repository';
import { FavouritesService } from './favourites.service';
import { RegistrationsRepository } from './registrations.repository';
import { SeatClaimsRepository } from './seat-claims.repository';
import { RegistrationsService } from './registrations.service';

@Module({
  imports: [ProgrammesModule, VenuesModule],
  providers: [
    RegistrationsRepository,
    SeatClaimsRepository,
    ClaimBatcher,
    CheckInAttempts,
    RegistrationsService,
    CalendarsService,
    FavouritesRepository,
    FavouritesService,
  ],
  exports: [RegistrationsService, CalendarsService, FavouritesService],
})
export class RegistrationsModule {}
