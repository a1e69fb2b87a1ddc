/**
 * Neutralises a CSV cell against formula injection (OWASP): a spreadsheet runs a cell that starts with
 * = + - @ or a tab/carriage return as a formula, so such cells get a leading apostrophe. Every CSV export
 * passes its text cells through here.
 */
export function safeCsvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
