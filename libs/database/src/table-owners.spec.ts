import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONTRACT_VIEWS, LibName, TABLE_OWNERS } from './table-owners';

const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The tables and views the migrations leave behind, in order of creation (a view dropped later is gone). */
function schema(): { tables: Set<string>; views: Set<string> } {
  const tables = new Set<string>();
  const views = new Set<string>();
  for (const file of readdirSync(join(root, 'migrations'))
    .filter((f) => /^\d+-.*\.ts$/.test(f))
    .sort()) {
    const up = readFileSync(join(root, 'migrations', file), 'utf8').split(/async down\(/)[0];
    for (const [, kind, name] of up.matchAll(
      /\b(CREATE TABLE|CREATE(?: OR REPLACE)? VIEW|DROP TABLE|DROP VIEW)\s+(?:IF (?:NOT )?EXISTS\s+)?([a-z_][a-z0-9_]*)/g,
    )) {
      if (kind === 'CREATE TABLE') tables.add(name);
      else if (kind === 'DROP TABLE') tables.delete(name);
      else if (kind === 'DROP VIEW') views.delete(name);
      else views.add(name);
    }
  }
  return { tables, views };
}

/**
 * Where a source file's SQL names a table or view: after FROM, JOIN, INTO, UPDATE, TABLE, TRUNCATE (upper case,
 * as Pavilion writes SQL; "from favourites" in an English label is prose), or in @Entity('…').
 */
function references(text: string, known: Set<string>): { name: string; line: number }[] {
  // Comments may name tables in prose; a URL's "//" is not a comment.
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
  const found: { name: string; line: number }[] = [];
  const lineOf = (index: number) => code.slice(0, index).split('\n').length;
  for (const m of code.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE)\s+([a-z_][a-z0-9_]*)/g))
    if (known.has(m[1])) found.push({ name: m[1], line: lineOf(m.index ?? 0) });
  for (const m of code.matchAll(/@(?:Entity|ViewEntity)\(\s*['"]([a-z_][a-z0-9_]*)['"]/g))
    found.push({ name: m[1], line: lineOf(m.index ?? 0) });
  return found;
}

describe('which lib names which table', () => {
  const { tables, views } = schema();
  const known = new Set([...tables, ...views]);
  const libs = readdirSync(join(root, 'libs')) as LibName[];
  /** Per lib (and the apps, which own nothing and name no table), every reference with its place. */
  const uses = new Map<string, { name: string; where: string }[]>(
    [...libs, 'apps'].map((lib) => {
      const dir = lib === 'apps' ? join(root, 'apps') : join(root, 'libs', lib, 'src');
      return [
        lib,
        sources(dir).flatMap((file) =>
          references(readFileSync(file, 'utf8'), known).map(({ name, line }) => ({
            name,
            where: `${relative(root, file)}:${line}`,
          })),
        ),
      ];
    }),
  );

  it('gives every table of the migrations an owner, and lists no table they do not create', () => {
    expect([...tables].filter((t) => !(t in TABLE_OWNERS))).toEqual([]);
    expect(Object.keys(TABLE_OWNERS).filter((t) => !tables.has(t))).toEqual([]);
  });

  it('lists every view of the migrations as a contract, and no view they do not create', () => {
    expect([...views].filter((v) => !(v in CONTRACT_VIEWS))).toEqual([]);
    expect(Object.keys(CONTRACT_VIEWS).filter((v) => !views.has(v))).toEqual([]);
  });

  it("names another lib's data only through the views agreed for it", () => {
    const trespasses = [...uses].flatMap(([lib, refs]) =>
      refs
        .filter(({ name }) => {
          if (name in TABLE_OWNERS) return TABLE_OWNERS[name] !== lib;
          const view = CONTRACT_VIEWS[name];
          return view.owner !== lib && !view.readers.includes(lib as LibName);
        })
        .map(({ name, where }) => `${lib} names ${name} at ${where}`),
    );
    expect(trespasses).toEqual([]);
  });

  it("lists as a view's readers exactly the libs that read it", () => {
    const listed = Object.entries(CONTRACT_VIEWS).flatMap(([view, { readers }]) =>
      readers.map((lib) => `${lib} reads ${view}`),
    );
    const read = [...uses].flatMap(([lib, refs]) =>
      [...new Set(refs.map((r) => r.name))]
        .filter((name) => name in CONTRACT_VIEWS && CONTRACT_VIEWS[name].owner !== lib)
        .map((name) => `${lib} reads ${name}`),
    );
    expect(new Set(read)).toEqual(new Set(listed));
  });

  it('finds a trespass when one is written', () => {
    expect(
      references('db.query(`SELECT 1 FROM registrations r JOIN users u ON u.id = r.user_id`)', known),
    ).toEqual([
      { name: 'registrations', line: 1 },
      { name: 'users', line: 1 },
    ]);
    expect(references("// reads FROM users\n@Entity('spaces')", known)).toEqual([
      { name: 'spaces', line: 2 },
    ]);
    expect(references("label: 'Remove from favourites'", known)).toEqual([]);
  });
});
