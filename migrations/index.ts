import { Foundation1764000000000 } from './1764000000000-Foundation';
import { Accounts1764000001000 } from './1764000001000-Accounts';
import { Registrations1764000002000 } from './1764000002000-Registrations';
import { Notifications1764000003000 } from './1764000003000-Notifications';
import { Scheduling1764000012000 } from './1764000012000-Scheduling';
import { SpaceClosures1764000012100 } from './1764000012100-SpaceClosures';
import { B2bMeetings1764000013000 } from './1764000013000-B2bMeetings';
import { MeetingNotices1764000013100 } from './1764000013100-MeetingNotices';
import { PublicSite1764000015000 } from './1764000015000-PublicSite';
import { ArchivedPlaces1764000024100 } from './1764000024100-ArchivedPlaces';
import { PasswordResets1764000024200 } from './1764000024200-PasswordResets';
import { Checkers1764000024300 } from './1764000024300-Checkers';
import { PublicFreshness1764000025100 } from './1764000025100-PublicFreshness';
import { CrossLibContracts1764000030100 } from './1764000030100-CrossLibContracts';
import { OpeningHoursGuard1764000030301 } from './1764000030301-OpeningHoursGuard';
import { SpeakerNotices1764000031000 } from './1764000031000-SpeakerNotices';
import { DeliverySendAt1764000032000 } from './1764000032000-DeliverySendAt';

/** Every migration, oldest first. The only way the schema changes. */
export const migrations = [
  Foundation1764000000000,
  Accounts1764000001000,
  Registrations1764000002000,
  Notifications1764000003000,
  Scheduling1764000012000,
  SpaceClosures1764000012100,
  B2bMeetings1764000013000,
  MeetingNotices1764000013100,
  PublicSite1764000015000,
  ArchivedPlaces1764000024100,
  PasswordResets1764000024200,
  Checkers1764000024300,
  PublicFreshness1764000025100,
  CrossLibContracts1764000030100,
  OpeningHoursGuard1764000030301,
  SpeakerNotices1764000031000,
  DeliverySendAt1764000032000,
];
