import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { openDatabase } from '../support/repository-fixtures';

const ROOT = path.join(__dirname, '../..');

interface Listed {
  name: string;
  kind: string;
  migration: string;
}

/** The table under "Every function, trigger and exclusion constraint" in the README's database rules. */
function listedInReadme(): Listed[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Rules the database guarantees');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const rows = section.match(/^\| `[a-z0-9_]+` .*$/gm) ?? [];
  return rows.map((row) => {
    const cells = row.split('|').map((c) => c.trim());
    return {
      name: cells[1].replace(/`/g, ''),
      kind: cells[2].replace(/`/g, ''),
      migration: cells[4].replace(/`/g, ''),
    };
  });
}

/** Every function, trigger and exclusion constraint of the migrated schema, described as the README does. */
async function inCatalogue(db: DataSource): Promise<string[]> {
  const rows: { name: string; kind: string }[] = await db.query(`
    SELECT p.proname AS name, 'function' AS kind
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT t.tgname, 'trigger on ' || c.relname
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT t.tgisinternal AND n.nspname = 'public'
    UNION ALL
    SELECT con.conname, 'exclusion constraint on ' || c.relname
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE con.contype = 'x' AND n.nspname = 'public'`);
  return rows.map((r) => `${r.name} (${r.kind})`).sort();
}

/** Every .ts file under a directory, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('Rules the database guarantees (README) against the migrated catalogue', () => {
  let db: DataSource;
  const listed = listedInReadme();

  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.destroy());

  it('the README lists every function, trigger and exclusion constraint there is, and nothing else', async () => {
    expect(listed.length).toBeGreaterThan(0);
    const described = listed.map((l) => `${l.name} (${l.kind})`).sort();
    expect(described).toEqual(await inCatalogue(db));
  });

  it('each is defined by the migration the README names', () => {
    const files = new Set(readdirSync(path.join(ROOT, 'migrations')).map((f) => f.replace(/\.ts$/, '')));
    const undefinedThere = listed.filter((l) => {
      if (!files.has(l.migration)) return true;
      const text = readFileSync(path.join(ROOT, 'migrations', `${l.migration}.ts`), 'utf8');
      if (new RegExp(`\\b${l.name}\\b`).test(text)) return false;
      // Triggers made in a loop over tables: `${table}_notify` with 'programmes' among the tables.
      const table = /^trigger on (\w+)$/.exec(l.kind)?.[1];
      const named = table && l.name.startsWith(`${table}_`);
      return !(
        named &&
        text.includes(`\${table}_${l.name.slice(table.length + 1)}`) &&
        text.includes(`'${table}'`)
      );
    });
    expect(undefinedThere.map((l) => `${l.name}: ${l.migration}`)).toEqual([]);
  });

  it('each is named in a comment of the code that relies on it', () => {
    const comments = sources(path.join(ROOT, 'libs'))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
      .filter((line) => /^\s*(\*|\/\/|\/\*\*)/.test(line))
      .join('\n');
    const unnamed = [...new Set(listed.map((l) => l.name))].filter(
      (name) => !new RegExp(`\\b${name}\\b`).test(comments),
    );
    expect(unnamed).toEqual([]);
  });
});
