import ical from 'node-ical';
import { ReceivedMail } from './smtp-sink';

/** A letter's calendar part as a calendar program reads it (node-ical), with the part's content type. */
export function calendarOf(mail: ReceivedMail) {
  const part = mail.parts.find((p) => p.contentType.startsWith('text/calendar'));
  if (!part) return undefined;
  const data = ical.sync.parseICS(part.content.toString('utf8'));
  const event = Object.values(data).find((c) => c?.type === 'VEVENT') as ical.VEvent;
  return {
    contentType: part.contentType,
    method: (data.vcalendar as unknown as { method?: string }).method,
    uid: event.uid,
    sequence: Number(event.sequence),
    status: event.status,
    location: event.location,
    start: new Date(event.start).toISOString(),
  };
}
