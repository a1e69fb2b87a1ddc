import { parse } from 'csv-parse/sync';
import { DomainError, ErrorCode, FieldError, textFault } from '@pavilion/core';
import { LANGUAGE_TAG } from '../dto/programme.dto';
import { ITEM_TYPES, ItemType } from '../programme.entities';

/** The columns an import file may have (API.md): the item fields, `space` by name, `speakers` by name or email. */
export const IMPORT_COLUMNS = [
  'type',
  'title',
  'description',
  'space',
  'startsAt',
  'endsAt',
  'capacity',
  'speakers',
  'languages',
  'registrationRequired',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: Column[] = ['type', 'title', 'space', 'startsAt', 'endsAt'];
export const MAX_IMPORT_ROWS = 2000;
const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** One row as written, checked for shape; names (space, speakers) and rules are resolved later. */
export interface ImportRow {
  line: number;
  type: ItemType;
  title: string;
  description: string | null;
  space: string;
  startsAt: string;
  endsAt: string;
  capacity?: number;
  speakers: string[];
  languages: string[];
  registrationRequired: boolean;
}

/** A refusal's field: the line in the file (the header is line 1) and the column. */
export const cell = (line: number, column: string) => `line ${line}: ${column}`;

/**
 * Parses the file (csv-parse: quoting, embedded commas and line breaks, a BOM) and checks each row's shape.
 * Every fault of every row is collected; any fault is a 400 listing them all.
 */
export function parseImportFile(text: string): ImportRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      skip_empty_lines: true,
      trim: true,
      info: true,
    });
  } catch (error) {
    throw DomainError.invalid('body', `is not CSV this import can read: ${(error as Error).message}`);
  }
  const errors: FieldError[] = [];
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  for (const name of unknown)
    errors.push({ field: cell(1, name), message: 'is not a column of an item import' });
  for (const name of REQUIRED)
    if (!header.includes(name)) errors.push({ field: cell(1, name), message: 'the column is missing' });
  if (errors.length) throw refusal(errors);
  if (records.length === 0) throw DomainError.invalid('body', 'holds no rows under the header');
  if (records.length > MAX_IMPORT_ROWS)
    throw DomainError.invalid('body', `holds more than ${MAX_IMPORT_ROWS} rows; split the file`);

  const rows = records.map(({ record, info }) => checkRow(record, info.lines, errors));
  if (errors.length) throw refusal(errors);
  return rows;
}

function checkRow(record: Record<string, string>, line: number, errors: FieldError[]): ImportRow {
  const value = (column: Column) => record[column] ?? '';
  const fail = (column: Column, message: string) => errors.push({ field: cell(line, column), message });
  for (const column of IMPORT_COLUMNS) {
    const fault = textFault(value(column));
    if (fault) fail(column, fault);
  }
  for (const column of REQUIRED) if (!value(column)) fail(column, 'is required');
  const type = value('type');
  if (type && !(ITEM_TYPES as readonly string[]).includes(type))
    fail('type', `must be one of ${ITEM_TYPES.join(', ')}`);
  if (value('title').length > 300) fail('title', 'must be at most 300 characters');
  if (value('description').length > 5000) fail('description', 'must be at most 5000 characters');
  for (const column of ['startsAt', 'endsAt'] as const)
    if (value(column) && !WALL_TIME.test(value(column))) fail(column, 'must be venue-local YYYY-MM-DDTHH:mm');
  let capacity: number | undefined;
  if (value('capacity')) {
    capacity = Number(value('capacity'));
    if (!/^\d{1,7}$/.test(value('capacity')) || capacity < 1)
      fail('capacity', 'must be a whole number from 1');
  }
  const list = (column: Column) =>
    value(column)
      .split(';')
      .map((v) => v.trim())
      .filter(Boolean);
  const languages = list('languages');
  if (languages.some((l) => !LANGUAGE_TAG.test(l)))
    fail('languages', 'must be language tags such as en, ru, kk, separated by ;');
  const required = value('registrationRequired').toLowerCase();
  if (required && !['true', 'false'].includes(required))
    fail('registrationRequired', 'must be true or false');
  return {
    line,
    type: type as ItemType,
    title: value('title'),
    description: value('description') || null,
    space: value('space'),
    startsAt: value('startsAt'),
    endsAt: value('endsAt'),
    capacity,
    speakers: list('speakers'),
    languages,
    registrationRequired: required !== 'false',
  };
}

export function refusal(errors: FieldError[]): DomainError {
  return new DomainError(
    ErrorCode.ValidationFailed,
    `The file has ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was imported`,
    { errors },
  );
}
