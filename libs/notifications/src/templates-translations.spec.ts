import { NotificationContext, renderNotification } from './templates';
import { noticeContext as ctx, previous } from './item-notice.fixture';

describe('renderNotification — ru', () => {
  const ru = (o: Partial<NotificationContext>) => renderNotification(ctx({ locale: 'ru', ...o }));

  it('registration_confirmed', () => {
    const r = ru({ kind: 'registration_confirmed', recipientName: 'Айгерим' });
    expect(r.subject).toMatch(/^Подтверждено: «Round table on smart cities», .*15:00 \(UTC\+6\)$/);
    expect(r.text).toContain('Здравствуйте, Айгерим!');
    expect(r.text).toContain('Ваша регистрация подтверждена.');
    expect(r.text).toContain('Когда: ');
    expect(r.text).toContain('15:00–16:30');
    expect(r.text).toContain('Где: Hall B, Kazakhstan Pavilion, EXPO 2017 Astana, Astana');
  });

  it('waitlisted', () => {
    const r = ru({ kind: 'waitlisted', waitlistPosition: 3 });
    expect(r.subject).toBe('Лист ожидания (№3): «Round table on smart cities»');
    expect(r.text).toContain('в листе ожидания под номером 3');
  });

  it('waitlist_promoted', () => {
    const r = ru({ kind: 'waitlist_promoted' });
    expect(r.subject).toMatch(/^Место за вами: «Round table on smart cities», /);
    expect(r.text).toContain('Освободилось место');
  });

  it('registration_cancelled', () => {
    const r = ru({ kind: 'registration_cancelled' });
    expect(r.subject).toBe('Регистрация отменена: «Round table on smart cities»');
    expect(r.text).toContain('Ваша регистрация отменена.');
  });

  it('reminder', () => {
    const r = ru({ kind: 'reminder', offsetMinutes: 60, unsubscribeUrl: 'https://pavilion.example/u/abc' });
    expect(r.subject).toContain('Напоминание');
    expect(r.subject).toContain('начнётся через 1 час (');
    expect(r.subject).toContain('15:00 (UTC+6), Hall B)');
    expect(r.text.trimEnd().endsWith('Чтобы отключить напоминания: https://pavilion.example/u/abc')).toBe(
      true,
    );
  });

  it.each([
    [1, 'через 1 минуту'],
    [2, 'через 2 минуты'],
    [5, 'через 5 минут'],
    [21, 'через 21 минуту'],
    [30, 'через 30 минут'],
    [60, 'через 1 час'],
    [120, 'через 2 часа'],
    [300, 'через 5 часов'],
    [1440, 'через 1 день'],
    [2880, 'через 2 дня'],
    [7200, 'через 5 дней'],
  ])('reminder offset %i → "%s"', (offsetMinutes, words) => {
    expect(ru({ kind: 'reminder', offsetMinutes }).subject).toContain(`начнётся ${words} (`);
  });

  it('item_rescheduled', () => {
    const r = ru({ kind: 'item_rescheduled', previous });
    expect(r.subject).toMatch(
      /^Перенесено: «Round table on smart cities» — теперь .*16 авг.*15:00 \(UTC\+6\), Hall B$/,
    );
    expect(r.text).toContain('Мероприятие перенесено.');
    expect(r.text).toMatch(/Было: .*15 авг.*15:00–16:30 \(UTC\+6\), Hall A\n/);
    expect(r.text).toMatch(/Теперь: .*16 авг.*15:00–16:30 \(UTC\+6\), Hall B\n/);
  });

  it('item_cancelled', () => {
    const r = ru({ kind: 'item_cancelled', cancelReason: 'Спикер заболел.' });
    expect(r.subject).toBe('Отменено: «Round table on smart cities»');
    expect(r.text).toContain('Причина, указанная организатором: Спикер заболел.');
  });
});

describe('renderNotification — kk', () => {
  const kk = (o: Partial<NotificationContext>) => renderNotification(ctx({ locale: 'kk', ...o }));

  it('registration_confirmed', () => {
    const r = kk({ kind: 'registration_confirmed', recipientName: 'Айгерім' });
    expect(r.subject).toMatch(/^Расталды: «Round table on smart cities», .*15:00 \(UTC\+6\)$/);
    expect(r.text).toContain('Сәлеметсіз бе, Айгерім!');
    expect(r.text).toContain('Тіркеуіңіз расталды.');
    expect(r.text).toContain('Уақыты: ');
    expect(r.text).toContain('15:00–16:30');
    expect(r.text).toContain('Өтетін орны: Hall B, Kazakhstan Pavilion, EXPO 2017 Astana, Astana');
  });

  it('waitlisted', () => {
    const r = kk({ kind: 'waitlisted', waitlistPosition: 3 });
    expect(r.subject).toBe('Күту тізімі (№3): «Round table on smart cities»');
    expect(r.text).toContain('Кезектегі нөміріңіз: 3.');
  });

  it('waitlist_promoted', () => {
    const r = kk({ kind: 'waitlist_promoted' });
    expect(r.subject).toMatch(/^Орын сіздікі: «Round table on smart cities», /);
    expect(r.text).toContain('Орын босады');
  });

  it('registration_cancelled', () => {
    const r = kk({ kind: 'registration_cancelled' });
    expect(r.subject).toBe('Тіркеу болдырылмады: «Round table on smart cities»');
  });

  it('reminder', () => {
    const r = kk({ kind: 'reminder', offsetMinutes: 60, unsubscribeUrl: 'https://pavilion.example/u/abc' });
    expect(r.subject).toContain('Еске салу');
    expect(r.subject).toContain('1 сағаттан кейін басталады (');
    expect(r.text.trimEnd().endsWith('Еске салуларды өшіру үшін: https://pavilion.example/u/abc')).toBe(true);
  });

  it.each([
    [1440, '1 күннен кейін'],
    [2880, '2 күннен кейін'],
    [60, '1 сағаттан кейін'],
    [180, '3 сағаттан кейін'],
    [30, '30 минуттан кейін'],
  ])('reminder offset %i → "%s"', (offsetMinutes, words) => {
    expect(kk({ kind: 'reminder', offsetMinutes }).subject).toContain(` ${words} басталады`);
  });

  it('item_rescheduled', () => {
    const r = kk({ kind: 'item_rescheduled', previous });
    expect(r.subject).toMatch(
      /^Ауыстырылды: «Round table on smart cities» — енді .*15:00 \(UTC\+6\), Hall B$/,
    );
    expect(r.text).toMatch(/Бұрын: .*15 там.*15:00–16:30 \(UTC\+6\), Hall A\n/);
    expect(r.text).toMatch(/Енді: .*16 там.*15:00–16:30 \(UTC\+6\), Hall B\n/);
  });

  it('item_cancelled', () => {
    const r = kk({ kind: 'item_cancelled', cancelReason: 'Спикер ауырып қалды.' });
    expect(r.subject).toBe('Болдырылмады: «Round table on smart cities»');
    expect(r.text).toContain('Өкінішке қарай, іс-шара болдырылмады.');
    expect(r.text).toContain('Ұйымдастырушы көрсеткен себеп: Спикер ауырып қалды.');
  });
});
