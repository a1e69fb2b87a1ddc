import { Feed } from 'feed';
import { ChangeRow, ProgrammeHeader } from '@pavilion/programmes';
import { describeChange } from './format';
import { Locale } from '@pavilion/core';
import { SITE_PHRASES } from './i18n';

/** The changelog as an Atom 1.0 feed (the `feed` package writes and escapes it), newest first. */
export function changesAtom(
  header: ProgrammeHeader,
  changes: ChangeRow[],
  lang: Locale,
  publicUrl: string,
): string {
  const p = SITE_PHRASES[lang];
  const programmeUrl = `${publicUrl}/programmes/${header.programme.id}`;
  const feed = new Feed({
    title: `${p.changes}: ${header.programme.title}`,
    id: `${programmeUrl}/changes`,
    link: `${programmeUrl}/changes?lang=${lang}`,
    language: lang,
    updated: changes[0]?.recordedAt ?? header.programme.publishedAt ?? header.programme.updatedAt,
    generator: 'Pavilion',
    copyright: header.venueName,
    feedLinks: { atom: `${programmeUrl}/changes.atom?lang=${lang}` },
  });
  for (const change of changes) {
    const text = describeChange(change, lang, header.timezone);
    feed.addItem({
      title: text.title,
      id: `${programmeUrl}/changes#${change.id}`,
      link: change.itemId
        ? `${programmeUrl}/items/${change.itemId}?lang=${lang}`
        : `${programmeUrl}?lang=${lang}`,
      date: change.recordedAt,
      description: text.detail || text.title,
    });
  }
  return feed.atom1();
}
