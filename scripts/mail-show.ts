import { simpleParser } from 'mailparser';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from '@pavilion/config';

/**
 * `npm run mail:show [-- N]`: the last N letters (default 3) that the worker wrote under MAIL_DIR, decoded
 * (headers, text, and what each attachment is), newest last.
 */
export async function showLetters(dir: string, count: number): Promise<string> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
  const files = await Promise.all(
    names.map(async (name) => ({
      file: path.join(dir, name),
      mtime: (await stat(path.join(dir, name))).mtimeMs,
    })),
  );
  const last = files.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file)).slice(-count);
  if (last.length === 0)
    return `No letters under ${dir}/ yet (the worker writes them there when SMTP_URL is unset).`;
  const shown: string[] = [];
  for (const { file } of last) {
    const mail = await simpleParser(await readFile(file));
    const lines = [
      `── ${path.basename(file)}`,
      `From:    ${mail.from?.text ?? ''}`,
      `To:      ${Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(', ') : (mail.to?.text ?? '')}`,
      `Date:    ${mail.date?.toISOString() ?? ''}`,
      `Subject: ${mail.subject ?? ''}`,
      '',
      (mail.text ?? '').trimEnd(),
    ];
    for (const a of mail.attachments) {
      const method = /method=([A-Za-z]+)/i.exec(a.headers.get('content-type')?.toString() ?? '')?.[1];
      lines.push(
        `[attachment] ${a.filename ?? '(inline)'} ${a.contentType}${method ? ` method=${method}` : ''}, ${a.size} bytes`,
      );
    }
    shown.push(lines.join('\n'));
  }
  return shown.join('\n\n');
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 3);
  try {
    const config = loadConfig();
    showLetters(config.mailDir, Number.isInteger(count) && count > 0 ? count : 3)
      .then((text) => console.log(text))
      .catch((error: unknown) => {
        console.error((error as Error).message);
        process.exit(1);
      });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}
