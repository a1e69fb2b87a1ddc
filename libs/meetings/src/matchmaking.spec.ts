import { safeCsvCell } from '@pavilion/core';
import { rankSuggestions, tagsMatch } from './matchmaking';

const profile = (
  id: string,
  over: Partial<{ sector: string; offers: string[]; seeks: string[]; languages: string[] }> = {},
) => ({
  id,
  sector: 'energy',
  offers: [],
  seeks: [],
  languages: ['ru'],
  ...over,
});

describe('matchmaking', () => {
  it('matches tags by words, ignoring case', () => {
    expect(tagsMatch('Steel pipes', 'steel pipes')).toBe(true);
    expect(tagsMatch('pipes', 'Steel pipes for oil')).toBe(true);
    expect(tagsMatch('solar panels', 'wind turbines')).toBe(false);
  });

  it('ranks what they offer against what I seek above the reverse, and leaves out strangers', () => {
    const me = profile('me', { seeks: ['solar panels'], offers: ['steel pipes'], sector: 'metallurgy' });
    const seller = profile('seller', { offers: ['solar panels'] });
    const buyer = profile('buyer', { seeks: ['steel pipes'] });
    const stranger = profile('stranger', { offers: ['tourism'] });
    const colleague = profile('colleague', { sector: 'Metallurgy' });
    const ranked = rankSuggestions(me, [stranger, buyer, colleague, seller, me]);
    expect(ranked.map((s) => s.participant.id)).toEqual(['seller', 'buyer', 'colleague']);
    expect(ranked[0].because[0]).toContain('they offer what you seek');
  });

  it('puts counterparts without a shared language last, saying why', () => {
    const me = profile('me', { seeks: ['grain'], languages: ['kk'] });
    const ranked = rankSuggestions(me, [
      profile('ru-only', { offers: ['grain'] }),
      profile('kk', { offers: ['grain'], languages: ['kk'] }),
    ]);
    expect(ranked.map((s) => s.participant.id)).toEqual(['kk', 'ru-only']);
    expect(ranked[1].because).toContain('no shared language: a meeting cannot be scheduled');
  });

  it('neutralises CSV cells that a spreadsheet would run as formulas', () => {
    expect(safeCsvCell('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(safeCsvCell('+7 351')).toBe(`'+7 351`);
    expect(safeCsvCell('@cmd')).toBe(`'@cmd`);
    expect(safeCsvCell('Chelyabinsk')).toBe('Chelyabinsk');
    expect(safeCsvCell(3)).toBe('3');
  });
});
