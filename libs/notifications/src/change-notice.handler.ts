import { Injectable } from '@nestjs/common';
import { AudienceRepository } from './audience.repository';
import { JobQueues, NotificationJobs } from './job-contracts';
import { personalChannels } from './notice-channels';

/** The `change-notice` job: tells each registrant the net change since what they were last told. */
@Injectable()
export class ChangeNoticeHandler {
  constructor(
    private readonly audience: AudienceRepository,
    private readonly queues: JobQueues,
  ) {}

  async handle({ itemId }: NotificationJobs['change-notice']): Promise<number> {
    const item = await this.audience.itemFacts(itemId);
    if (!item || item.status === 'cancelled') return 0;
    const ids = await this.audience.tellChange(item, personalChannels);
    await this.queues.queueSends(ids.map((id) => ({ id })));
    return ids.length;
  }
}
