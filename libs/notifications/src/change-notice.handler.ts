import { Injectable } from '@nestjs/common';
import { AudienceRepository } from './audience.repository';
import { JobQueues, NotificationJobs } from './job-contracts';
import { personalLedgerChannels } from './notice-channels';
import { SpeakerAudienceRepository } from './speaker-audience.repository';

/** The `change-notice` job: tells each registrant, and each speaker, the net change since what they were last told. */
@Injectable()
export class ChangeNoticeHandler {
  constructor(
    private readonly audience: AudienceRepository,
    private readonly queues: JobQueues,
    private readonly speakers: SpeakerAudienceRepository,
  ) {}

  async handle({ itemId }: NotificationJobs['change-notice']): Promise<number> {
    const item = await this.audience.itemFacts(itemId);
    if (!item || item.status === 'cancelled') return 0;
    const ids = [
      ...(await this.audience.tellChange(item, personalLedgerChannels)),
      // Speakers hear of the programme as it is published: draft edits wait, and publication tells the net change.
      ...(item.programmeStatus === 'published' ? await this.speakers.tellChange(item) : []),
    ];
    await this.queues.queueSends(ids.map((id) => ({ id })));
    return ids.length;
  }
}
