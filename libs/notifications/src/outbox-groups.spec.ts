import { OutboxKind, OutboxRow } from '@pavilion/database';
import { outboxJobs } from './outbox-groups';

let next = 0;
const row = (kind: OutboxKind): OutboxRow => ({
  id: String(++next),
  kind,
  itemId: 'item',
  registrationId: kind.startsWith('item') ? null : `registration-${next}`,
  userId: kind.startsWith('item') ? null : `user-${next}`,
  itemVersion: null,
  payload: {},
  createdAt: new Date(),
});

/** Each job as `name id [outbox ids]`. */
const shape = (rows: OutboxRow[], groupSize?: number) =>
  outboxJobs(rows, groupSize).map((job) => {
    const events =
      job.name === 'outbox-events' ? job.data.events : job.name === 'outbox-event' ? [job.data] : [];
    return `${job.name} ${job.jobId} [${events.map((e) => e.outboxId).join(',')}]`;
  });

describe('outboxJobs: a relay pass as jobs', () => {
  beforeEach(() => (next = 0));

  it('groups runs of registrant events in outbox order; every other event stays a job of its own', () => {
    const rows = [
      row('registration_confirmed'),
      row('waitlisted'),
      row('item_rescheduled'),
      row('waitlist_promoted'),
      row('registration_cancelled'),
      row('registration_confirmed'),
      row('meeting_scheduled'),
      row('item_cancelled'),
      row('programme_unpublished'),
      row('item_displaced'),
      row('registration_confirmed'),
    ];
    expect(shape(rows)).toEqual([
      'outbox-events outbox-1-x2 [1,2]',
      'outbox-event outbox-3 [3]',
      'outbox-events outbox-4-x3 [4,5,6]',
      'outbox-event outbox-7 [7]',
      'outbox-event outbox-8 [8]',
      'outbox-event outbox-9 [9]',
      'outbox-event outbox-10 [10]',
      'outbox-events outbox-11-x1 [11]',
    ]);
  });

  it('cuts a long run into groups of at most the group size', () => {
    const rows = Array.from({ length: 7 }, () => row('registration_confirmed'));
    expect(shape(rows, 3)).toEqual([
      'outbox-events outbox-1-x3 [1,2,3]',
      'outbox-events outbox-4-x3 [4,5,6]',
      'outbox-events outbox-7-x1 [7]',
    ]);
  });

  it('a rush of a relay pass (500 rows) is three jobs', () => {
    const rows = Array.from({ length: 500 }, (_, i) => row(i % 3 ? 'registration_confirmed' : 'waitlisted'));
    expect(outboxJobs(rows).map((job) => job.jobId)).toEqual([
      'outbox-1-x200',
      'outbox-201-x200',
      'outbox-401-x100',
    ]);
  });

  it('carries each row whole, its id as outboxId', () => {
    const only = row('registration_confirmed');
    const [job] = outboxJobs([{ ...only, itemVersion: 3, payload: { note: 'x' } }]);
    expect(job.data).toEqual({
      events: [
        {
          outboxId: '1',
          kind: 'registration_confirmed',
          itemId: 'item',
          registrationId: 'registration-1',
          userId: 'user-1',
          itemVersion: 3,
          payload: { note: 'x' },
        },
      ],
    });
  });
});
