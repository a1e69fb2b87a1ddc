import { Module } from '@nestjs/common';
import { ProgrammesModule } from '@pavilion/programmes';
import { VenuesModule } from '@pavilion/venues';
import { CalendarsService } from './calendars.service';
import { CheckInAttempts } from './check-in-attempts';
import { ClaimBatcher } from './claim-batcher';
import { RegistrationsRepository } from './registrations.repository';
import { RegistrationsService } from './registrations.service';

@Module({
  imports: [ProgrammesModule, VenuesModule],
  providers: [RegistrationsRepository, ClaimBatcher, CheckInAttempts, RegistrationsService, CalendarsService],
  exports: [RegistrationsService, CalendarsService],
})
export class RegistrationsModule {}
