// Who to meet: pure ranking of counterparts for one participant. No I/O.

export interface Profile {
  id: string;
  sector: string;
  offers: string[];
  seeks: string[];
  languages: string[];
}

export interface Suggestion<P extends Profile> {
  participant: P;
  score: number;
  because: string[];
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2);

/** True when two tags name the same thing: equal, or one's words all appear in the other. */
export function tagsMatch(x: string, y: string): boolean {
  const a = x.trim().toLowerCase();
  const b = y.trim().toLowerCase();
  if (a === b) return true;
  const wa = words(a);
  const wb = new Set(words(b));
  const wbList = words(b);
  const wa2 = new Set(wa);
  return (
    (wa.length > 0 && wa.every((w) => wb.has(w))) || (wbList.length > 0 && wbList.every((w) => wa2.has(w)))
  );
}

const matches = (wanted: string[], offered: string[]) =>
  wanted.flatMap((w) => offered.filter((o) => tagsMatch(w, o)).map((o) => `${o} ↔ ${w}`));

/**
 * Ranks counterparts: what they offer against what `me` seeks weighs most (3 each), then what `me` offers
 * against what they seek (2 each), a shared language (1) and the same sector (1). Without a shared language
 * a meeting cannot be scheduled, so such counterparts come last. Ties keep the given order.
 */
export function rankSuggestions<P extends Profile>(me: Profile, others: P[], limit = 20): Suggestion<P>[] {
  const ranked = others
    .filter((p) => p.id !== me.id)
    .map((participant, index) => {
      const theyOffer = matches(me.seeks, participant.offers);
      const theySeek = matches(participant.seeks, me.offers);
      const shared = me.languages.some((l) => participant.languages.includes(l));
      const sameSector = me.sector.trim().toLowerCase() === participant.sector.trim().toLowerCase();
      const score = 3 * theyOffer.length + 2 * theySeek.length + (shared ? 1 : 0) + (sameSector ? 1 : 0);
      const because = [
        ...theyOffer.map((m) => `they offer what you seek: ${m}`),
        ...theySeek.map((m) => `they seek what you offer: ${m}`),
        ...(sameSector ? [`same sector: ${participant.sector}`] : []),
        ...(shared ? [] : ['no shared language: a meeting cannot be scheduled']),
      ];
      return {
        participant,
        score: shared ? score : Math.min(score, 0),
        because,
        index,
        useful: theyOffer.length + theySeek.length > 0 || sameSector,
      };
    })
    .filter((s) => s.useful)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  return ranked.slice(0, limit).map(({ participant, score, because }) => ({ participant, score, because }));
}
