import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@pavilion/config';
import { Locale } from '@pavilion/core';
import { EmailChannel } from './channels/email.channel';

/** What a password-reset letter needs; the token travels only here, never into a table or a log. */
export interface PasswordResetLetter {
  to: string;
  displayName: string;
  locale: Locale;
  token: string;
  expiresAt: Date;
}

type ResetText = (
  name: string,
  url: string,
  token: string,
  until: string,
) => { subject: string; text: string };

const RESET_TEXT: Record<Locale, ResetText> = {
  en: (name, url, token, until) => ({
    subject: 'Reset your Pavilion password',
    text: `Hello ${name},\n\nSomeone (hopefully you) asked to reset the password of your Pavilion account.\nTo choose a new one, send this token with your new password to POST ${url}\n(JSON: {"token": "…", "password": "…"}):\n\n${token}\n\nThe token works once, until ${until} (UTC). If you did not ask, ignore this letter: your password stays as it is.`,
  }),
  ru: (name, url, token, until) => ({
    subject: 'Сброс пароля Pavilion',
    text: `Здравствуйте, ${name}!\n\nКто-то (надеемся, вы) попросил сбросить пароль вашей учётной записи Pavilion.\nЧтобы задать новый пароль, отправьте этот токен вместе с новым паролем на POST ${url}\n(JSON: {"token": "…", "password": "…"}):\n\n${token}\n\nТокен действует один раз, до ${until} (UTC). Если вы не просили о сбросе, просто не обращайте внимания на это письмо: пароль останется прежним.`,
  }),
  kk: (name, url, token, until) => ({
    subject: 'Pavilion құпиясөзін қалпына келтіру',
    text: `Сәлеметсіз бе, ${name}!\n\nБіреу (сіз деп үміттенеміз) Pavilion тіркелгіңіздің құпиясөзін қалпына келтіруді сұрады.\nЖаңа құпиясөз орнату үшін осы токенді жаңа құпиясөзбен бірге POST ${url} мекенжайына жіберіңіз\n(JSON: {"token": "…", "password": "…"}):\n\n${token}\n\nТокен бір рет, ${until} (UTC) дейін жұмыс істейді. Егер сіз сұрамаған болсаңыз, бұл хатты елемеңіз: құпиясөзіңіз өзгермейді.`,
  }),
};

/** Letters about the account itself (not about items): sent at once by the API, in the person's language. */
@Injectable()
export class AccountLetters {
  private readonly logger = new Logger(AccountLetters.name);

  constructor(
    private readonly email: EmailChannel,
    private readonly config: AppConfig,
  ) {}

  /** Sends the reset letter; a failure is logged, never told to the caller (the answer must not differ). */
  sendPasswordReset(letter: PasswordResetLetter): Promise<void> {
    const url = `${this.config.publicUrl}/api/auth/password-reset/confirm`;
    const until = letter.expiresAt.toISOString().slice(0, 16).replace('T', ' ');
    const { subject, text } = RESET_TEXT[letter.locale](letter.displayName, url, letter.token, until);
    return this.email
      .send(() => ({ id: `reset-${randomUUID()}`, to: letter.to, subject, text }))
      .catch((error: unknown) => this.logger.error({ err: error }, 'The password-reset letter was not sent'));
  }
}
